package cli

import (
	"context"
	"errors"
	"time"
)

type exportOptions struct {
	ProfileName string
	Duration    time.Duration
	NoSession   bool
	Region      string
	MFAToken    string
	Format      string
	SSOStdout   bool
}

func configureExport(a *App) {
	opts := &exportOptions{}
	cmd := a.kp.Command("export", "Print temporary credentials for a profile.")
	cmd.Flag("duration", "Duration of the temporary credentials, e.g. 1h (at least 15m).").Short('d').DurationVar(&opts.Duration)
	cmd.Flag("no-session", "Use the stored key without GetSessionToken (roles are still assumed).").Short('n').BoolVar(&opts.NoSession)
	cmd.Flag("region", "AWS region for every profile of the chain.").StringVar(&opts.Region)
	cmd.Flag("mfa-token", "MFA code to use instead of asking for one.").Short('t').StringVar(&opts.MFAToken)
	cmd.Flag("format", "Output format: env, export-env, json (credential_process) or ini.").
		Default("env").EnumVar(&opts.Format, "env", "export-env", "json", "ini")
	cmd.Flag("stdout", "Print the SSO authorization URL instead of opening a browser.").BoolVar(&opts.SSOStdout)
	cmd.Arg("profile", "Name of the profile.").Required().HintAction(a.g.profileNames).StringVar(&opts.ProfileName)
	a.register(cmd, func(ctx context.Context) error { return runExport(ctx, a.g, opts) })
}

func runExport(ctx context.Context, g *globalOptions, opts *exportOptions) error {
	return errors.New("not implemented")
}
