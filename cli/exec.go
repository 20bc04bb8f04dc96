package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"time"

	"github.com/awsvault/aws-vault/cli/process"
	"github.com/awsvault/aws-vault/vault"
)

type execOptions struct {
	ProfileName string
	Command     string
	Args        []string
	Duration    time.Duration
	NoSession   bool
	Region      string
	MFAToken    string
	JSON        bool
	ECSServer   bool
	EC2Server   bool
	Lazy        bool
	SSOStdout   bool
}

func configureExec(a *App) {
	opts := &execOptions{}
	cmd := a.kp.Command("exec", "Run a command, or a subshell, with temporary credentials for a profile.")
	cmd.Flag("duration", "Duration of the temporary credentials, e.g. 1h (at least 15m).").Short('d').DurationVar(&opts.Duration)
	cmd.Flag("no-session", "Use the stored key without GetSessionToken (roles are still assumed).").Short('n').BoolVar(&opts.NoSession)
	cmd.Flag("region", "AWS region for every profile of the chain.").StringVar(&opts.Region)
	cmd.Flag("mfa-token", "MFA code to use instead of asking for one.").Short('t').StringVar(&opts.MFAToken)
	cmd.Flag("json", "Print credentials as credential_process JSON (deprecated: use export --format=json).").
		Short('j').Hidden().BoolVar(&opts.JSON)
	cmd.Flag("server", "Alias of --ecs-server.").Short('s').BoolVar(&opts.ECSServer)
	cmd.Flag("ec2-server", "Serve credentials on a local EC2 metadata endpoint (needs root for 169.254.169.254).").BoolVar(&opts.EC2Server)
	cmd.Flag("ecs-server", "Serve credentials on a local ECS credential endpoint.").BoolVar(&opts.ECSServer)
	// --lazy acts only with the ECS server and --stdout only in an SSO
	// sign-in, in aws-vault v7.2.0 as here. Neither exists yet: both uses
	// fail at once (validateExec; the chain refuses SSO profiles), and
	// elsewhere the flags change nothing, as in v7.2.0.
	cmd.Flag("lazy", "With --ecs-server, fetch credentials on the first request instead of at start.").BoolVar(&opts.Lazy)
	cmd.Flag("stdout", "Print the SSO authorization URL instead of opening a browser.").BoolVar(&opts.SSOStdout)
	cmd.Arg("profile", "Name of the profile.").Required().HintAction(a.g.profileNames).StringVar(&opts.ProfileName)
	cmd.Arg("cmd", "Command to run (default: $SHELL).").StringVar(&opts.Command)
	cmd.Arg("args", "Arguments of the command.").StringsVar(&opts.Args)
	a.register(cmd, func(ctx context.Context) error { return runExec(ctx, a.g, opts) })
}

func runExec(ctx context.Context, g *globalOptions, opts *execOptions) error {
	if g.deps.Getenv("AWS_VAULT") != "" {
		return withHint(errors.New("running in an existing aws-vault subshell; 'exit' from the subshell or unset AWS_VAULT to force"), nestedHint)
	}
	if err := validateExec(opts); err != nil {
		return err
	}
	co := credOptions{ProfileName: opts.ProfileName, Duration: opts.Duration, NoSession: opts.NoSession, Region: opts.Region, MFAToken: opts.MFAToken}
	res, err := g.getCredentials(ctx, co)
	if err != nil {
		return err
	}
	if opts.JSON {
		return printCredentials(g, "json", res)
	}
	return runChild(ctx, g, opts, res)
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
	case opts.ECSServer || opts.EC2Server:
		return errors.New("the local credential servers (--ecs-server, --ec2-server) are not available in this version of aws-vault")
	case opts.JSON && opts.Command != "":
		return fmt.Errorf("--json prints credentials and runs no command; remove %q or --json", opts.Command)
	}
	return nil
}

// runChild replaces aws-vault with the command (or $SHELL), or, where the
// OS cannot, runs it as a child and passes its exit status through.
func runChild(ctx context.Context, g *globalOptions, opts *execOptions, res *credentialsResult) error {
	name, args := opts.Command, opts.Args
	if name == "" {
		name = g.deps.Getenv("SHELL")
		if name == "" {
			name = defaultShell
		}
		args = nil
		g.banner(fmt.Sprintf("Starting subshell %s, use `exit` to exit the subshell", name))
	}
	path, err := g.deps.LookPath(name)
	if err != nil {
		return lookPathError(name, err)
	}
	if err := ctx.Err(); err != nil {
		return err // interrupted while getting credentials: start nothing
	}
	cmd := process.Command{
		Path: path, Args: append([]string{name}, args...),
		Env:   vault.ChildEnviron(g.deps.Environ(), opts.ProfileName, res.Profile.Region, res.Creds),
		Stdin: g.deps.Stdin, Stdout: g.deps.Stdout, Stderr: g.deps.Stderr,
	}
	g.logger.Printf("exec %s", path)
	err = g.deps.Runner.Exec(cmd) // returns only on failure (or from a fake)
	if err == nil {
		return nil
	}
	if !errors.Is(err, process.ErrExecUnsupported) {
		return fmt.Errorf("running %s: %w", name, err)
	}
	status, err := g.deps.Runner.Run(ctx, cmd)
	if err != nil {
		return fmt.Errorf("running %s: %w", name, err)
	}
	return ExitStatusError{Status: status}
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
func (g *globalOptions) banner(msg string) {
	if g.deps.StdoutIsTerminal && !g.Debug && g.deps.Getenv("AWS_VAULT_DISABLE_HELP_MESSAGE") != "1" {
		fmt.Fprintln(g.deps.Stderr, msg)
		return
	}
	g.logger.Print(msg)
}
