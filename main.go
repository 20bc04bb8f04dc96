// Command aws-vault stores AWS credentials in the OS keyring and runs
// commands with temporary credentials.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/awsvault/aws-vault/cli"
)

func main() {
	// Cancel on SIGINT and SIGTERM, but leave SIGINT alone when it was
	// ignored (a background job): catching it would un-ignore it for the
	// command exec starts.
	sigs := []os.Signal{syscall.SIGTERM}
	if !signal.Ignored(os.Interrupt) {
		sigs = append(sigs, os.Interrupt)
	}
	ctx, stop := signal.NotifyContext(context.Background(), sigs...)
	code := cli.Main(ctx, os.Args[1:], cli.System())
	stop()
	os.Exit(code)
}
