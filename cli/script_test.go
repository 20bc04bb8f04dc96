package cli_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awsvault/aws-vault/cli"
	"github.com/rogpeppe/go-internal/testscript"
)

// testVersion is the version the scripts' aws-vault reports.
const testVersion = "v7.99.0-test"

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"aws-vault":    func() { os.Exit(cli.Run(os.Args[1:], testDeps())) },
		"gosdk-whoami": func() { os.Exit(goSDKCallerIdentity()) },
		"sso-browser":  func() { os.Exit(ssoBrowser()) },
		"ecs-client":   func() { os.Exit(ecsClient()) },
		"sigint-count": func() { os.Exit(sigintCount()) },
	})
}

// testDeps is cli.System with the clock pinned when a script sets
// AWSVAULT_TEST_NOW (RFC 3339). The variables are read here, in the test
// binary only; the product has no such switch.
func testDeps() *cli.Deps {
	// AWSVAULT_TEST_UNSET lists variables to remove: testscript can set a
	// variable empty but not unset it.
	for _, name := range strings.Split(os.Getenv("AWSVAULT_TEST_UNSET"), ",") {
		os.Unsetenv(name)
	}
	d := cli.System()
	d.Version = testVersion
	d.MFATimeout, _ = time.ParseDuration(os.Getenv("AWSVAULT_TEST_MFA_TIMEOUT")) // unset: the 2 min default
	d.MinUnlock, _ = time.ParseDuration(os.Getenv("AWSVAULT_TEST_MIN_UNLOCK"))   // unset: a minute
	if v := os.Getenv("AWSVAULT_TEST_NOW"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			panic("AWSVAULT_TEST_NOW: " + err.Error())
		}
		d.Now = func() time.Time { return t }
	}
	return d
}

func TestScripts(t *testing.T) {
	t.Parallel()
	testscript.Run(t, scriptParams(t, "testdata/script"))
}

// updateScripts rewrites the files a script's cmp compares against when they
// differ (go test ./cli -run TestScript/help -update-scripts): for golden
// files such as the --help texts, to be reviewed with git diff.
var updateScripts = flag.Bool("update-scripts", false, "rewrite the golden files of scripts whose cmp fails")

func scriptParams(t *testing.T, dir string) testscript.Params {
	fixtures, err := filepath.Abs("testdata/fixtures")
	if err != nil {
		t.Fatal(err)
	}
	return testscript.Params{
		Dir:                 dir,
		RequireExplicitExec: true,
		UpdateScripts:       *updateScripts,
		Setup: func(env *testscript.Env) error {
			if err := startEmulator(env); err != nil {
				return err
			}
			home := filepath.Join(env.WorkDir, "home")
			env.Setenv("HOME", home)
			env.Setenv("AWS_CONFIG_FILE", filepath.Join(home, ".aws", "config"))
			env.Setenv("AWS_VAULT_FILE_DIR", filepath.Join(home, ".awsvault", "keys"))
			env.Setenv("AWS_VAULT_BACKEND", "file")
			env.Setenv("AWS_VAULT_FILE_PASSPHRASE", "test-passphrase")
			env.Setenv("FIXTURES", fixtures)
			env.Setenv("AWS_VAULT_PROMPT", "")
			env.Setenv("AWSVAULT_TEST_UNSET", "")
			// A -race binary sleeps 1 s at exit by default; every exec
			// would pay it.
			env.Setenv("GORACE", "atexit_sleep_ms=0")
			return os.MkdirAll(filepath.Join(home, ".aws"), 0o700)
		},
		Cmds: scriptCommands(),
	}
}
