package cli

import (
	"context"
	"errors"
	"time"
)

type loginOptions struct {
	ProfileName string
	Duration    time.Duration
	NoSession   bool
	AutoLogout  bool
	MFAToken    string
	Path        string
	Region      string
	Stdout      bool
}

func configureLogin(a *App) {
	opts := &loginOptions{}
	cmd := a.kp.Command("login", "Open the AWS console signed in as a profile.")
	cmd.Flag("duration", "Duration of the console session, e.g. 1h (at least 15m).").Short('d').DurationVar(&opts.Duration)
	cmd.Flag("no-session", "Use the stored key without GetSessionToken.").Short('n').BoolVar(&opts.NoSession)
	cmd.Flag("auto-logout", "Sign out of any current console session first.").Short('a').
		Envar("AWS_VAULT_AUTO_LOGOUT").BoolVar(&opts.AutoLogout)
	cmd.Flag("mfa-token", "MFA code to use instead of asking for one.").Short('t').StringVar(&opts.MFAToken)
	cmd.Flag("path", "Console path to open, e.g. s3 (used when a region is known).").StringVar(&opts.Path)
	cmd.Flag("region", "AWS region of the console (also selects the partition).").StringVar(&opts.Region)
	cmd.Flag("stdout", "Print the sign-in URL instead of opening a browser.").Short('s').BoolVar(&opts.Stdout)
	cmd.Arg("profile", "Name of the profile (default: credentials in the environment).").
		HintAction(a.g.profileNames).StringVar(&opts.ProfileName)
	a.register(cmd, func(ctx context.Context) error { return runLogin(ctx, a.g, opts) })
}

func runLogin(ctx context.Context, g *globalOptions, opts *loginOptions) error {
	return errors.New("not implemented")
}
