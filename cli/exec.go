package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"

	"github.com/awsvault/aws-vault/cli/process"
	"github.com/awsvault/aws-vault/vault"
)

type execOptions struct {
	ProfileName string
	Command     string
	Args        []string
	credFlags
	JSON      bool
	ECSServer bool
	EC2Server bool
	Lazy      bool
}

func configureExec(a *App) {
	opts := &execOptions{}
	cmd := a.kp.Command("exec", "Run a command, or a subshell, with temporary credentials for a profile.").HelpLong(`
The command finds the credentials in its environment (AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION and more). Without a
command, exec starts $SHELL; exit leaves it. Put -- before the command, so
that its own flags are not taken for aws-vault's.

Examples:
  aws-vault exec work -- aws sts get-caller-identity
  aws-vault exec work                  # a subshell with the credentials`)
	opts.credFlags.bind(cmd)
	cmd.Flag("json", "Print credentials as credential_process JSON (deprecated: use export --format=json).").
		Short('j').Hidden().BoolVar(&opts.JSON)
	cmd.Flag("server", "Same as --ecs-server.").Short('s').BoolVar(&opts.ECSServer)
	cmd.Flag("ec2-server", "Serve credentials on a local EC2 metadata endpoint (needs root for 169.254.169.254).").BoolVar(&opts.EC2Server)
	cmd.Flag("ecs-server", "Serve credentials on a local ECS credential endpoint.").BoolVar(&opts.ECSServer)
	// --lazy acts only with the ECS server and --stdout only in an SSO
	// sign-in, in aws-vault v7.2.0 as here; elsewhere the flags change
	// nothing, as in v7.2.0.
	cmd.Flag("lazy", "With --ecs-server, fetch credentials on the first request instead of at start.").BoolVar(&opts.Lazy)
	ssoStdoutFlag(cmd, &opts.SSOStdout)
	cmd.Arg("profile", "Name of the profile.").Required().HintAction(a.completeProfiles).StringVar(&opts.ProfileName)
	cmd.Arg("cmd", "Command to run (default: $SHELL).").StringVar(&opts.Command)
	cmd.Arg("args", "Arguments of the command.").StringsVar(&opts.Args)
	a.register(cmd, func(ctx context.Context) error { return runExec(ctx, a.s, opts) })
}

func runExec(ctx context.Context, s *session, opts *execOptions) error {
	// exec --json is export --format=json in aws-vault v7.2.0, with
	// export's words for this refusal.
	if err := refuseNested(s.Getenv, !opts.JSON); err != nil {
		return err
	}
	if err := validateExec(opts); err != nil {
		return err
	}
	switch {
	case opts.ECSServer:
		return runECSServer(ctx, s, opts)
	case opts.EC2Server:
		return runEC2Server(ctx, s, opts)
	}
	res, err := getCredentials(ctx, s, opts.ProfileName, opts.credFlags)
	if err != nil {
		return err
	}
	if opts.JSON {
		return printCredentials(s, "exec", "json", res)
	}
	return runChild(ctx, s, opts, res)
}

func validateExec(opts *execOptions) error {
	switch {
	case opts.EC2Server && opts.ECSServer:
		return errors.New("Can't use --ec2-server with --ecs-server")
	case opts.EC2Server && opts.JSON:
		return errors.New("Can't use --ec2-server with --json")
	case opts.EC2Server && opts.NoSession:
		return errors.New("Can't use --ec2-server with --no-session")
	case opts.ECSServer && opts.JSON:
		return errors.New("Can't use --ecs-server with --json")
	case opts.ECSServer && opts.NoSession:
		return errors.New("Can't use --ecs-server with --no-session")
	case opts.JSON && opts.Command != "":
		return fmt.Errorf("--json prints credentials and runs no command; remove %q or --json", opts.Command)
	}
	return nil
}

// runChild replaces aws-vault with the command (or $SHELL), or, where the
// OS cannot, runs it as a child and passes its exit status through.
func runChild(ctx context.Context, s *session, opts *execOptions, res *credentialsResult) error {
	name, path, err := childProgram(s, opts)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err // interrupted while getting credentials: start nothing
	}
	cmd := childCommand(s, opts, name, path, vault.ChildEnviron(s.Environ(), opts.ProfileName, res.Profile.Region, res.Creds))
	s.log.Printf("exec %s", path)
	recordHandout(s, "exec", "env", res)
	err = s.Runner.Exec(cmd) // returns only on failure (or from a fake)
	if err == nil {
		return nil
	}
	if !errors.Is(err, process.ErrExecUnsupported) {
		return fmt.Errorf("running %s: %w", name, err)
	}
	status, err := s.Runner.Run(ctx, cmd)
	if err != nil {
		return fmt.Errorf("running %s: %w", name, err)
	}
	return ExitStatusError{Status: status}
}

// childProgram is the command to run (or $SHELL, announced with the
// subshell banner) and its path.
func childProgram(s *session, opts *execOptions) (name, path string, err error) {
	name = opts.Command
	if name == "" {
		name = s.Getenv("SHELL")
		if name == "" {
			name = defaultShell
		}
		banner(s, fmt.Sprintf("Starting subshell %s, use `exit` to exit the subshell", name))
	}
	path, err = s.LookPath(name)
	if err != nil {
		return "", "", lookPathError(name, err)
	}
	return name, path, nil
}

// childCommand is the user's command (a subshell takes no arguments) with
// env, on aws-vault's own streams.
func childCommand(s *session, opts *execOptions, name, path string, env []string) process.Command {
	args := opts.Args
	if opts.Command == "" {
		args = nil
	}
	return process.Command{
		Path: path, Args: append([]string{name}, args...), Env: env,
		Stdin: s.Stdin, Stdout: s.Stdout, Stderr: s.Stderr,
	}
}

// lookPathError reports why a command cannot be started: "command not
// found" only when there is no such file; otherwise the real reason (no
// execute permission, a directory).
func lookPathError(name string, err error) error {
	if errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("command not found: %s", name)
	}
	var lookErr *exec.Error
	if errors.As(err, &lookErr) {
		err = lookErr.Err
	}
	return fmt.Errorf("cannot run %s: %w", name, err)
}

// banner prints a help line on stderr when a person is watching: stdout is
// a terminal, no --debug, and AWS_VAULT_DISABLE_HELP_MESSAGE is not 1.
// Otherwise it goes to the debug log.
func banner(s *session, msg string) {
	if s.StdoutIsTerminal && !s.flags.Debug && s.Getenv("AWS_VAULT_DISABLE_HELP_MESSAGE") != "1" {
		fmt.Fprintln(s.Stderr, msg)
		return
	}
	s.log.Print(msg)
}
