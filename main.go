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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], cli.System())
	stop()
	os.Exit(code)
}
