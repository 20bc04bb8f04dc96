// Command aws-vault stores AWS credentials in the OS keyring and runs
// commands with temporary credentials.
package main

import (
	"os"

	"github.com/awsvault/aws-vault/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], cli.System()))
}
