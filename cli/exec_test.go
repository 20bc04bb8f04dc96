package cli_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awsvault/aws-vault/cli"
	"github.com/awsvault/aws-vault/cli/process"
	"github.com/awsvault/aws-vault/prompt"
)

// fakeRunner records the command instead of starting it.
type fakeRunner struct {
	execErr error
	status  int
	got     []process.Command
}

func (f *fakeRunner) Exec(c process.Command) error {
	f.got = append(f.got, c)
	return f.execErr
}

func (f *fakeRunner) Run(_ context.Context, c process.Command) (int, error) {
	f.got = append(f.got, c)
	return f.status, nil
}

// testCLI returns Deps over a temporary HOME with the file keyring, one
// stored key (profile plain) and no terminal. kingpin reads flag variables
// from the process environment, so tests pass --backend=file explicitly.
func testCLI(t *testing.T, env map[string]string) (*cli.Deps, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".aws"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".aws", "config"), []byte("[default]\nregion=eu-west-1\n[profile plain]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{
		"HOME": home, "AWS_VAULT_BACKEND": "file", "AWS_VAULT_FILE_PASSPHRASE": "p", "PATH": os.Getenv("PATH"),
		"AWS_ACCESS_KEY_ID": "AKIAEXAMPLE000000001", "AWS_SECRET_ACCESS_KEY": "secret0000000000000000000000000000000001",
	}
	for k, v := range env {
		vars[k] = v
	}
	var stdout, stderr bytes.Buffer
	d := &cli.Deps{
		Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
		Getenv:    func(k string) string { return vars[k] },
		LookupEnv: func(k string) (string, bool) { v, ok := vars[k]; return v, ok },
		Environ: func() []string {
			var out []string
			for k, v := range vars {
				out = append(out, k+"="+v)
			}
			return out
		},
		HomeDir:  func() (string, error) { return home, nil },
		Now:      time.Now,
		OpenTTY:  func() (prompt.TTY, error) { return nil, prompt.ErrNoTerminal },
		LookPath: exec.LookPath,
		Version:  "test",
	}
	if code := cli.Main(context.Background(), []string{"--backend=file", "add", "--env", "plain"}, d); code != 0 {
		t.Fatalf("add: %d %s", code, stderr.String())
	}
	stdout.Reset()
	return d, &stdout, &stderr
}

func TestSubshellBanner(t *testing.T) {
	for _, tc := range []struct {
		name     string
		terminal bool
		env      map[string]string
		args     []string
		banner   bool
	}{
		{"terminal", true, nil, nil, true},
		{"stdout piped", false, nil, nil, false},
		{"disabled", true, map[string]string{"AWS_VAULT_DISABLE_HELP_MESSAGE": "1"}, nil, false},
		{"debug", true, nil, []string{"--debug"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"SHELL": "/bin/sh"}
			for k, v := range tc.env {
				env[k] = v
			}
			d, _, stderr := testCLI(t, env)
			runner := &fakeRunner{}
			d.Runner, d.StdoutIsTerminal = runner, tc.terminal
			args := append(tc.args, "--backend=file", "exec", "--no-session", "plain")
			if code := cli.Main(context.Background(), args, d); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			banner := "Starting subshell /bin/sh, use `exit` to exit the subshell\n"
			if got := strings.HasPrefix(stderr.String(), banner) || stderr.String() == banner; got != tc.banner {
				t.Errorf("banner shown=%v, want %v; stderr %q", got, tc.banner, stderr)
			}
			if len(runner.got) != 1 || runner.got[0].Path != "/bin/sh" || strings.Join(runner.got[0].Args, " ") != "/bin/sh" {
				t.Errorf("ran %+v", runner.got)
			}
		})
	}
}

// Where the process image cannot be replaced, the child's exit status is
// passed through unchanged (aws-vault v7.2.0 turns it into 1).
func TestChildProcessExitStatus(t *testing.T) {
	d, _, stderr := testCLI(t, nil)
	d.Runner = &fakeRunner{execErr: process.ErrExecUnsupported, status: 7}
	if code := cli.Main(context.Background(), []string{"--backend=file", "exec", "--no-session", "plain", "--", "true"}, d); code != 7 {
		t.Errorf("exit %d, want 7 (%s)", code, stderr)
	}
}

// The same, with the real child-process path.
func TestChildProcessExitStatusReal(t *testing.T) {
	d, _, stderr := testCLI(t, nil)
	d.Runner = spawnOnly{}
	if code := cli.Main(context.Background(), []string{"--backend=file", "exec", "--no-session", "plain", "--", "sh", "-c", "exit 7"}, d); code != 7 {
		t.Errorf("exit %d, want 7 (%s)", code, stderr)
	}
}

// spawnOnly is the system runner without execve.
type spawnOnly struct{ process.System }

func (spawnOnly) Exec(process.Command) error { return process.ErrExecUnsupported }
