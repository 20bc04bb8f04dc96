package cli_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/awsvault/aws-vault/vault/vaulttest"
	"github.com/rogpeppe/go-internal/testscript"
)

// TestLoginScripts runs cli/testdata/login/*.txtar: console login against
// the emulator's STS, IAM and federation endpoint.
func TestLoginScripts(t *testing.T) {
	t.Parallel()
	p := scriptParams(t, "testdata/login")
	setup := p.Setup
	p.Setup = func(env *testscript.Env) error {
		// A -race binary sleeps 1 s at exit by default, for every exec of
		// aws-vault; races are still reported (exit status 66).
		env.Setenv("GORACE", strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
		return setup(env)
	}
	p.Cmds["masktoken"] = cmdMaskToken
	p.Cmds["signins"] = cmdSignins
	p.Cmds["signinjunk"] = cmdSigninJunk
	p.Cmds["pathonly"] = cmdPathOnly
	testscript.Run(t, p)
}

// signinTokenValue is the SigninToken parameter of a login URL, plain or
// inside an escaped redirect_uri (--auto-logout).
var signinTokenValue = regexp.MustCompile(`(SigninToken(?:=|%3D))[^&\s]+`)

// masktoken [FILE]: prints FILE (default: the last command's stdout) with
// the sign-in token replaced by <SIGNIN-TOKEN>, the transcripts'
// placeholder. It fails if there is no token to mask.
func cmdMaskToken(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) > 1 {
		ts.Fatalf("usage: masktoken [file]")
	}
	name := "stdout"
	if len(args) == 1 {
		name = args[0]
	}
	text := ts.ReadFile(name)
	if !signinTokenValue.MatchString(text) {
		ts.Fatalf("no SigninToken in %s", name)
	}
	fmt.Fprint(ts.Stdout(), signinTokenValue.ReplaceAllString(text, "${1}<SIGNIN-TOKEN>"))
}

// signins prints, for each getSigninToken request recorded so far, which
// emulator-issued credentials its Session held: "host kind ARN -> code"
// ("unknown" when the emulator never issued the session id). Run it before
// awscalls, which forgets the requests.
func cmdSignins(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: signins")
	}
	a := emulator(ts)
	issued := map[string]vaulttest.Credentials{}
	for _, c := range a.IssuedCredentials() {
		issued[c.AccessKeyID] = c
	}
	w := ts.Stdout()
	for _, r := range a.RequestsFor("getSigninToken") {
		c, ok := issued[r.AccessKeyID]
		if !ok {
			fmt.Fprintf(w, "%s unknown -> %s\n", r.Host, r.Code)
			continue
		}
		fmt.Fprintf(w, "%s %s %s -> %s\n", r.Host, c.Kind, c.ARN, r.Code)
	}
}

// signinjunk: the next getSigninToken answers 200 with a body that is not
// JSON.
func cmdSigninJunk(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: signinjunk")
	}
	emulator(ts).Fault("getSigninToken", vaulttest.FaultSpec{MalformedBody: true, Times: 1})
}

// pathonly PROGRAM: sets PATH to the one directory of PATH holding
// PROGRAM, so that no system program (xdg-open) can be found.
func cmdPathOnly(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: pathonly program")
	}
	for _, dir := range filepath.SplitList(ts.Getenv("PATH")) {
		if _, err := os.Stat(filepath.Join(dir, args[0])); err == nil {
			ts.Setenv("PATH", dir)
			return
		}
	}
	ts.Fatalf("%s not found on PATH", args[0])
}
