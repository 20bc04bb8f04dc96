package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/awsvault/aws-vault/vault"
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
	// --stdout acts only in an SSO sign-in, which the chain refuses until
	// SSO arrives; elsewhere it changes nothing, as in aws-vault v7.2.0.
	cmd.Flag("stdout", "Print the SSO authorization URL instead of opening a browser.").BoolVar(&opts.SSOStdout)
	cmd.Arg("profile", "Name of the profile.").Required().HintAction(a.g.profileNames).StringVar(&opts.ProfileName)
	a.register(cmd, func(ctx context.Context) error { return runExport(ctx, a.g, opts) })
}

const nestedHint = "to switch profiles, leave this one first (exit), or run: env -u AWS_VAULT aws-vault exec OTHER-PROFILE"

func runExport(ctx context.Context, g *globalOptions, opts *exportOptions) error {
	if g.deps.Getenv("AWS_VAULT") != "" {
		return withHint(errors.New("in an existing aws-vault subshell; 'exit' from the subshell or unset AWS_VAULT to force"), nestedHint)
	}
	co := credOptions{ProfileName: opts.ProfileName, Duration: opts.Duration, NoSession: opts.NoSession, Region: opts.Region, MFAToken: opts.MFAToken}
	res, err := g.getCredentials(ctx, co)
	if err != nil {
		return err
	}
	return printCredentials(g, opts.Format, res)
}

// printCredentials writes creds in format to stdout, in one write.
func printCredentials(g *globalOptions, format string, res *credentialsResult) error {
	out, err := vault.FormatCredentials(format, res.Profile.ProfileName, res.Profile.Region, res.Creds)
	if err != nil {
		return err
	}
	_, err = fmt.Fprint(g.deps.Stdout, out)
	return err
}
