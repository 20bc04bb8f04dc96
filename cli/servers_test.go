package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/awsvault/aws-vault/cli"
	"github.com/awsvault/aws-vault/cli/process"
)

// serverRunner records how the command was started: a server needs
// aws-vault to stay, so the command must be a child (Run), never execve.
type serverRunner struct {
	execs, runs []process.Command
	status      int
}

func (r *serverRunner) Exec(c process.Command) error {
	r.execs = append(r.execs, c)
	return nil
}

func (r *serverRunner) Run(_ context.Context, c process.Command) (int, error) {
	r.runs = append(r.runs, c)
	return r.status, nil
}

// exec --ecs-server runs the command as a child with the server's
// variables and no key variables, passes its status through, and shows
// its banner (then the subshell's) only on a terminal without a command,
// as aws-vault v7.2.0.
func TestECSServerChildAndBanners(t *testing.T) {
	const ecsBanner = "Starting a local ECS credential server; your app's AWS sdk must support AWS_CONTAINER_CREDENTIALS_FULL_URI.\n"
	const shellBanner = "Starting subshell /bin/sh, use `exit` to exit the subshell\n"
	for _, tc := range []struct {
		name     string
		terminal bool
		command  []string
		want     string
	}{
		{"subshell on a terminal", true, nil, ecsBanner + shellBanner},
		{"command on a terminal", true, []string{"--", "true"}, ""},
		{"subshell, stdout piped", false, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, _, stderr := testCLI(t, map[string]string{"SHELL": "/bin/sh", "AWS_SESSION_TOKEN": "stale"})
			home, _ := d.HomeDir()
			config := "[default]\nregion=eu-west-1\n[profile cp]\ncredential_process = printf '{\"Version\":1,\"AccessKeyId\":\"AKIAPROCESS000000001\",\"SecretAccessKey\":\"s\"}'\n"
			if err := os.WriteFile(filepath.Join(home, ".aws", "config"), []byte(config), 0o600); err != nil {
				t.Fatal(err)
			}
			runner := &serverRunner{status: 9}
			d.Runner, d.StdoutIsTerminal = runner, tc.terminal
			args := append([]string{"--backend=file", "exec", "--ecs-server", "cp"}, tc.command...)
			if code := cli.Main(context.Background(), args, d); code != 9 {
				t.Fatalf("exit %d, want the command's 9: %s", code, stderr)
			}
			if got := stderr.String(); got != tc.want {
				t.Errorf("stderr %q, want %q", got, tc.want)
			}
			if len(runner.execs) != 0 || len(runner.runs) != 1 {
				t.Fatalf("execve %d times, child %d times; want a child once", len(runner.execs), len(runner.runs))
			}
			env := strings.Join(runner.runs[0].Env, "\n") + "\n"
			for _, want := range []string{"AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:", "AWS_CONTAINER_AUTHORIZATION_TOKEN=", "AWS_VAULT=cp\n", "AWS_REGION=eu-west-1\n"} {
				if !strings.Contains(env, want) {
					t.Errorf("child environment lacks %q:\n%s", want, env)
				}
			}
			for _, unwanted := range []string{"AWS_ACCESS_KEY_ID=", "AWS_SECRET_ACCESS_KEY=", "AWS_SESSION_TOKEN=", "AKIAPROCESS"} {
				if strings.Contains(env, unwanted) {
					t.Errorf("child environment has %q:\n%s", unwanted, env)
				}
			}
		})
	}
}
