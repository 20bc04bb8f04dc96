package cli

import (
	"context"
	"errors"
	"time"
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
	cmd.Flag("lazy", "With --ecs-server, fetch credentials on the first request instead of at start.").BoolVar(&opts.Lazy)
	cmd.Flag("stdout", "Print the SSO authorization URL instead of opening a browser.").BoolVar(&opts.SSOStdout)
	cmd.Arg("profile", "Name of the profile.").Required().HintAction(a.g.profileNames).StringVar(&opts.ProfileName)
	cmd.Arg("cmd", "Command to run (default: $SHELL).").StringVar(&opts.Command)
	cmd.Arg("args", "Arguments of the command.").StringsVar(&opts.Args)
	a.register(cmd, func(ctx context.Context) error { return runExec(ctx, a.g, opts) })
}

func runExec(ctx context.Context, g *globalOptions, opts *execOptions) error {
	return errors.New("not implemented")
}
