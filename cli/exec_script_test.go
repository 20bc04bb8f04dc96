package cli_test

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/awsvault/aws-vault/vault/keyring/keyringtest"
	"github.com/rogpeppe/go-internal/testscript"
)

func TestExecScripts(t *testing.T) {
	t.Parallel()
	p := scriptParams(t, "testdata/exec")
	p.Condition = realToolCondition
	p.Cmds["jsoncheck"] = cmdJSONCheck
	p.Cmds["notcontains"] = cmdNotContains
	testscript.Run(t, p)
}

// realToolCondition answers [awscli] and [tmux]: whether the real program
// is installed. Under make test (AWSVAULT_REQUIRE_REAL=1) a missing one is
// an error saying what to install instead of a skip.
func realToolCondition(cond string) (bool, error) {
	prog := map[string]string{"awscli": "aws", "tmux": "tmux", "pass": "pass", "keyctl": "keyctl"}[cond]
	if prog == "" {
		return false, fmt.Errorf("unknown condition %q", cond)
	}
	if _, err := exec.LookPath(prog); err != nil {
		if keyringtest.RequireReal() {
			return false, fmt.Errorf("%s is not installed; make test installs it (see DEB_PACKAGES in the Makefile)", prog)
		}
		return false, nil
	}
	return true, nil
}

// jsoncheck FILE: FILE must be one JSON object and nothing else; prints
// "ok" and its keys in order.
func cmdJSONCheck(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: jsoncheck file")
	}
	data := ts.ReadFile(args[0])
	dec := json.NewDecoder(strings.NewReader(data))
	keys := []string{"ok"}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		ts.Fatalf("not a JSON object: %q", data)
	}
	for dec.More() {
		k, _ := dec.Token()
		keys = append(keys, fmt.Sprint(k))
		var v json.RawMessage
		ts.Check(dec.Decode(&v))
	}
	if _, err := dec.Token(); err != nil {
		ts.Fatalf("bad JSON: %v", err)
	}
	if rest := strings.TrimSpace(data[dec.InputOffset():]); rest != "" {
		ts.Fatalf("more than the JSON object on stdout: %q", rest)
	}
	fmt.Fprintln(ts.Stdout(), strings.Join(keys, " "))
}

// notcontains FILE NEEDLE-FILE: FILE (e.g. stderr) must not contain the
// trimmed contents of NEEDLE-FILE (e.g. a secret the child printed).
func cmdNotContains(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: notcontains file needle-file")
	}
	needle := strings.TrimSpace(ts.ReadFile(args[1]))
	if needle == "" {
		ts.Fatalf("%s is empty", args[1])
	}
	if strings.Contains(ts.ReadFile(args[0]), needle) {
		ts.Fatalf("%s contains the contents of %s", args[0], args[1])
	}
}
