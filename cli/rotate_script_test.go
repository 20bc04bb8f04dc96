package cli_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/awsvault/aws-vault/vault/vaulttest"
	"github.com/rogpeppe/go-internal/testscript"
)

// TestRotateScripts runs testdata/rotate: rotate and import end to end.
func TestRotateScripts(t *testing.T) {
	t.Parallel()
	p := scriptParams(t, "testdata/rotate")
	p.Cmds["iamkeys"] = cmdIAMKeys
	p.Cmds["addiamkey"] = cmdAddIAMKey
	p.Cmds["cmpmask"] = cmdCmpMask
	testscript.Run(t, p)
}

// iamkeys USER prints the user's access keys at the emulated IAM, one a
// line: "<last 4> <status>", oldest first.
func cmdIAMKeys(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: iamkeys user")
	}
	for _, k := range emulator(ts).AccessKeys(args[0]) {
		ts.Stdout().Write([]byte(k.AccessKeyID[len(k.AccessKeyID)-4:] + " " + k.Status + "\n"))
	}
}

// addiamkey USER gives the user one more access key at the emulated IAM
// (stored nowhere), as if made in the console.
func cmdAddIAMKey(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: addiamkey user")
	}
	if _, err := emulator(ts).AddAccessKey(args[0]); err != nil {
		ts.Fatalf("addiamkey: %v", err)
	}
}

var (
	reMaskedKey = regexp.MustCompile(`\*{16}[A-Z0-9]{4}`)
	reLongKey   = regexp.MustCompile(`AKIA[A-Z0-9]{16}`)
	reRequest   = regexp.MustCompile(`RequestID: [0-9a-f-]{36}`)
)

// cmpmask FILE WANT compares FILE (stdout, stderr or a file) with WANT after
// replacing access keys created during the script, which are random, with
// AKIAXXXXXXXXXXXXXXXX and ****************XXXX, and AWS request ids with
// <REQUEST-ID>, as the v7 transcripts do. Fixture keys (ending in 0001) are
// kept. As with cmpenv, $VAR in WANT is replaced by the variable's value.
func cmdCmpMask(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: cmpmask file want")
	}
	fixture := map[string]bool{}
	for _, u := range vaulttest.FixtureUsers() {
		fixture[u.AccessKeyID] = true
	}
	got := reMaskedKey.ReplaceAllStringFunc(ts.ReadFile(args[0]), func(m string) string {
		if strings.HasSuffix(m, "0001") {
			return m
		}
		return strings.Repeat("*", 16) + "XXXX"
	})
	got = reLongKey.ReplaceAllStringFunc(got, func(m string) string {
		if fixture[m] {
			return m
		}
		return "AKIAXXXXXXXXXXXXXXXX"
	})
	got = reRequest.ReplaceAllString(got, "RequestID: <REQUEST-ID>")
	if want := os.Expand(ts.ReadFile(args[1]), ts.Getenv); got != want {
		ts.Fatalf("%s (masked) differs from %s:\n--- got\n%s--- want\n%s", args[0], args[1], got, want)
	}
}
