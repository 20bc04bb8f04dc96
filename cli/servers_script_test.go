package cli_test

import (
	"os/exec"
	"testing"

	"github.com/awsvault/aws-vault/vault/keyring/keyringtest"
	"github.com/rogpeppe/go-internal/testscript"
)

// TestServerScripts runs the credential server scripts (exec
// --ecs-server, --ec2-server's checks before it needs root) with real
// clients against the emulator.
func TestServerScripts(t *testing.T) {
	t.Parallel()
	p := scriptParams(t, "testdata/servers")
	p.Condition = serverCondition
	p.Cmds["notcontains"] = cmdNotContains
	testscript.Run(t, p)
}

// serverCondition answers [awscli] (/usr/bin/aws, the Debian AWS CLI v2:
// PATH may name another) and [boto3] (Debian's python3-boto3).
func serverCondition(cond string) (bool, error) {
	var check *exec.Cmd
	switch cond {
	case "awscli":
		check = exec.Command("/usr/bin/aws", "--version")
	case "boto3":
		check = exec.Command("/usr/bin/python3", "-c", "import boto3")
	default:
		return realToolCondition(cond)
	}
	if err := check.Run(); err != nil {
		if keyringtest.RequireReal() {
			return false, err
		}
		return false, nil
	}
	return true, nil
}
