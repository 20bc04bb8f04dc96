//go:build unix

package cli_test

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

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
	p.Cmds["waitfile"] = cmdWaitFile
	p.Cmds["gone"] = cmdGone
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

// waitfile FILE: waits (at most 20 s) until FILE exists and is not empty.
func cmdWaitFile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waitfile file")
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		if fi, err := os.Stat(ts.MkAbs(args[0])); err == nil && fi.Size() > 0 {
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("%s did not appear within 20s", args[0])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// gone PIDFILE: the process whose id PIDFILE holds no longer exists
// (waiting at most 5 s for it to go).
func cmdGone(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: gone pidfile")
	}
	pid, err := strconv.Atoi(strings.TrimSpace(ts.ReadFile(args[0])))
	ts.Check(err)
	deadline := time.Now().Add(5 * time.Second)
	for syscall.Kill(pid, 0) == nil {
		if time.Now().After(deadline) {
			ts.Fatalf("process %d is still running", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
