//go:build unix

package cli_test

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/awsvault/aws-vault/vault/keyring"
	"github.com/awsvault/aws-vault/vault/vaulttest"
	"github.com/rogpeppe/go-internal/testscript"
)

// TestChainScripts runs cli/testdata/chain: what the credential chain hands
// out and caches, end to end, with the AWS CLI, boto3 and the Go SDK as
// credential_process clients.
func TestChainScripts(t *testing.T) {
	t.Parallel()
	p := scriptParams(t, "testdata/chain")
	p.Condition = chainCondition
	p.Cmds["alive"] = cmdAlive
	p.Cmds["clock"] = cmdClock
	p.Cmds["nowplus"] = cmdNowPlus
	p.Cmds["awsanswer"] = cmdAWSAnswer
	p.Cmds["kritem"] = cmdKeyringItem
	testscript.Run(t, p)
}

// chainCondition adds [boto3] (python3 can import it: Debian's
// python3-boto3) to the real tools; under make test a missing one is an
// error, not a skip.
func chainCondition(cond string) (bool, error) {
	if cond != "boto3" {
		return realToolCondition(cond)
	}
	if exec.Command("python3", "-c", "import boto3").Run() == nil {
		return true, nil
	}
	if os.Getenv("AWSVAULT_REQUIRE_REAL") == "1" {
		return false, fmt.Errorf("python3 cannot import boto3; make test installs it (python3-boto3 in DEB_PACKAGES)")
	}
	return false, nil
}

// nowplus VAR DURATION sets VAR to the wall clock plus DURATION in RFC
// 3339, e.g. for AWSVAULT_TEST_NOW: aws-vault then lives that much later
// than the emulator and the other clients.
func cmdNowPlus(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: nowplus var duration")
	}
	d, err := time.ParseDuration(args[1])
	ts.Check(err)
	ts.Setenv(args[0], time.Now().Add(d).UTC().Format(time.RFC3339))
}

// awsanswer ACTION expired DURATION | awsanswer ACTION huge BYTES STATUS CODE:
// the next call of ACTION is answered with credentials that expired
// DURATION ago, or with an error whose message is BYTES long.
func cmdAWSAnswer(ts *testscript.TestScript, neg bool, args []string) {
	var spec vaulttest.FaultSpec
	switch {
	case !neg && len(args) == 3 && args[1] == "expired":
		d, err := time.ParseDuration(args[2])
		ts.Check(err)
		spec.ExpiredBy = d
	case !neg && len(args) == 5 && args[1] == "huge":
		n, err := strconv.Atoi(args[2])
		ts.Check(err)
		status, err := strconv.Atoi(args[3])
		ts.Check(err)
		spec.HugeMessage, spec.Status, spec.Code = n, status, args[4]
	default:
		ts.Fatalf("usage: awsanswer action expired duration | awsanswer action huge bytes status code")
	}
	spec.Times = 1
	emulator(ts).Fault(args[0], spec)
}

// kritem KEY FILE stores FILE's contents as the keyring item KEY in the
// file backend, as any program holding the passphrase could.
func cmdKeyringItem(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: kritem key file")
	}
	kr := &keyring.File{Dir: ts.Getenv("AWS_VAULT_FILE_DIR"), Now: time.Now,
		Passphrase: func() (string, error) { return ts.Getenv("AWS_VAULT_FILE_PASSPHRASE"), nil }}
	ts.Check(kr.Set(keyring.Item{Key: args[0], Data: []byte(ts.ReadFile(args[1])), Label: "planted", Description: "aws-vault session"}))
}
