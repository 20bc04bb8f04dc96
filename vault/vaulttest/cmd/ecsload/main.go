// Command ecsload is make bench's load client for the ECS credential
// server (aws-vault exec --ecs-server): N authorised GETs spread over C
// kept-alive connections, for each C given, reporting requests per second
// and the 50th and 99th percentile latency. It uses the standard library
// only, so that it measures aws-vault v7.2.0's server and ours alike.
//
//	ecsload -url "$AWS_CONTAINER_CREDENTIALS_FULL_URI" \
//	    -token "$AWS_CONTAINER_AUTHORIZATION_TOKEN" -n 5000 -c 1,4,16
//
// The token may also come from the environment (-token-env, default
// AWS_CONTAINER_AUTHORIZATION_TOKEN), which keeps it out of argv. One
// line per level goes to stdout:
//
//	conns=16 requests=5000 errors=0 rps=34012 p50_ms=0.412 p99_ms=1.906
//
// A request that is not answered 200 counts as an error; any error makes
// the exit status 1.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

type options struct {
	url      string
	token    string
	requests int
	conns    []int
	warmup   int
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	var conns, tokenEnv string
	fs := flag.NewFlagSet("ecsload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.url, "url", os.Getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI"), "server URL (default $AWS_CONTAINER_CREDENTIALS_FULL_URI)")
	fs.StringVar(&o.token, "token", "", "Authorization header value (default: from -token-env)")
	fs.StringVar(&tokenEnv, "token-env", "AWS_CONTAINER_AUTHORIZATION_TOKEN", "environment variable holding the token")
	fs.IntVar(&o.requests, "n", 5000, "requests per level")
	fs.StringVar(&conns, "c", "1,4,16", "comma-separated connection counts, one level each")
	fs.IntVar(&o.warmup, "warmup", 200, "unmeasured requests per connection before each level")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.token == "" {
		o.token = os.Getenv(tokenEnv)
	}
	if o.url == "" || o.token == "" {
		return o, fmt.Errorf("need -url and a token (-token or $%s)", tokenEnv)
	}
	for _, f := range strings.Split(conns, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return o, fmt.Errorf("-c %q: want positive counts separated by commas", conns)
		}
		o.conns = append(o.conns, n)
	}
	if o.requests < 1 {
		return o, fmt.Errorf("-n %d: want at least 1", o.requests)
	}
	return o, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "ecsload:", err)
		return 2
	}
	code := 0
	for _, c := range o.conns {
		r, err := measure(ctx, o, c)
		if err != nil {
			fmt.Fprintln(stderr, "ecsload:", err)
			return 1
		}
		fmt.Fprintln(stdout, r)
		if r.errors > 0 {
			code = 1
		}
	}
	return code
}
