package cli_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"sync"
	"time"
)

// ecsClient is the "ecs-client" program of the server scripts: a client
// of the ECS credential server named by AWS_CONTAINER_CREDENTIALS_FULL_URI
// and AWS_CONTAINER_AUTHORIZATION_TOKEN, as exec --ecs-server gives them.
//
//	ecs-client get [PATH]            GET with the token: status and body
//	ecs-client auth VALUE|- [PATH]   GET with Authorization VALUE (- none)
//	ecs-client refresh WAIT N        GET, wait, N concurrent GETs: all must
//	                                 get the same new key
//	ecs-client save FILE             write the server's address to FILE
//	ecs-client closed FILE           succeed if nothing listens there now
//	ecs-client pid FILE              write the parent's pid to FILE
func ecsClient() int {
	args := os.Args[1:]
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: ecs-client get|auth|refresh|save|closed ...")
		return 2
	}
	base := os.Getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI")
	token := os.Getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN")
	var err error
	switch {
	case args[0] == "get" && len(args) <= 2:
		err = ecsShow(base, token, true, optArg(args, 1))
	case args[0] == "auth" && (len(args) == 2 || len(args) == 3):
		err = ecsShow(base, args[1], args[1] != "-", optArg(args, 2))
	case args[0] == "refresh" && len(args) == 3:
		err = ecsRefresh(base, token, args[1], args[2])
	case args[0] == "save" && len(args) == 2:
		u, perr := url.Parse(base)
		if perr != nil {
			err = perr
			break
		}
		err = os.WriteFile(args[1], []byte(u.Host), 0o600)
	case args[0] == "closed" && len(args) == 2:
		err = ecsClosed(args[1])
	default:
		err = fmt.Errorf("bad arguments %q", args)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ecs-client:", err)
		return 1
	}
	return 0
}

func optArg(args []string, i int) string {
	if len(args) > i {
		return args[i]
	}
	return "/"
}

// ecsGet sends one GET; header says whether to send Authorization.
func ecsGet(base, auth string, header bool, path string) (int, []byte, error) {
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		return 0, nil, err
	}
	if header {
		req.Header["Authorization"] = []string{auth}
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{Proxy: nil}}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

// ecsShow prints "<status> <content type>" and the body.
func ecsShow(base, auth string, header bool, path string) error {
	status, body, err := ecsGet(base, auth, header, path)
	if err != nil {
		return err
	}
	fmt.Printf("%d\n%s", status, body)
	return nil
}

type ecsCreds struct {
	AccessKeyID, Expiration, SecretAccessKey, Token string
}

func ecsFetch(base, token string) (ecsCreds, error) {
	status, body, err := ecsGet(base, token, true, "/")
	if err != nil {
		return ecsCreds{}, err
	}
	var c struct {
		AccessKeyID     string `json:"AccessKeyId"`
		Expiration      string
		SecretAccessKey string
		Token           string
	}
	if status != http.StatusOK {
		return ecsCreds{}, fmt.Errorf("status %d: %s", status, bytes.TrimSpace(body))
	}
	if err := json.Unmarshal(body, &c); err != nil {
		return ecsCreds{}, err
	}
	return ecsCreds{c.AccessKeyID, c.Expiration, c.SecretAccessKey, c.Token}, nil
}

// ecsRefresh asks once, waits past the refresh point, then asks n times at
// once: every answer must carry the same key, not the first one.
func ecsRefresh(base, token, wait, count string) error {
	d, err := time.ParseDuration(wait)
	if err != nil {
		return err
	}
	var n int
	if _, err := fmt.Sscan(count, &n); err != nil {
		return err
	}
	first, err := ecsFetch(base, token)
	if err != nil {
		return err
	}
	time.Sleep(d)
	answers := make([]ecsCreds, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			answers[i], errs[i] = ecsFetch(base, token)
		}()
	}
	close(start)
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			return errs[i]
		}
		if answers[i] != answers[0] {
			return fmt.Errorf("answers differ: %s and %s", answers[0].AccessKeyID, answers[i].AccessKeyID)
		}
	}
	if answers[0].AccessKeyID == first.AccessKeyID {
		return fmt.Errorf("after %s still the first key %s (expires %s)", d, first.AccessKeyID, first.Expiration)
	}
	fmt.Printf("%d answers, all one new key; the first expired %s, the new one %s\n", n,
		strings.TrimSpace(first.Expiration), answers[0].Expiration)
	return nil
}

// ecsClosed succeeds when nothing accepts connections on the address
// saved in file.
func ecsClosed(file string) error {
	addr, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	c, err := net.DialTimeout("tcp", string(addr), time.Second)
	if err == nil {
		c.Close()
		return fmt.Errorf("%s still accepts connections", addr)
	}
	fmt.Printf("closed\n")
	return nil
}

// sigintCount READY COUNT STOP counts the SIGINTs it gets: it writes READY
// once it listens for them, and when the file STOP appears (at most 30 s
// later) writes their number to COUNT.
func sigintCount() int {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: sigint-count ready count stop")
		return 2
	}
	sigs := make(chan os.Signal, 64)
	signal.Notify(sigs, os.Interrupt)
	if err := os.WriteFile(os.Args[1], nil, 0o600); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	n := 0
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); {
		select {
		case <-sigs:
			n++
			continue
		case <-tick.C:
		}
		if _, err := os.Stat(os.Args[3]); err == nil {
			break
		}
	}
	if err := os.WriteFile(os.Args[2], []byte(fmt.Sprint(n)), 0o600); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}
