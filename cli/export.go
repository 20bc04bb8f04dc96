package cli

import (
	"context"
	"fmt"

	"github.com/awsvault/aws-vault/vault"
)

type exportOptions struct {
	ProfileName string
	credFlags
	Format string
}

func configureExport(a *App) {
	opts := &exportOptions{}
	cmd := a.kp.Command("export", "Print temporary credentials for a profile.")
	opts.credFlags.bind(cmd)
	cmd.Flag("format", "Output format: env, export-env, json (credential_process) or ini.").
		Default("env").EnumVar(&opts.Format, "env", "export-env", "json", "ini")
	ssoStdoutFlag(cmd, &opts.SSOStdout)
	cmd.Arg("profile", "Name of the profile.").Required().HintAction(a.completeProfiles).StringVar(&opts.ProfileName)
	a.register(cmd, func(ctx context.Context) error { return runExport(ctx, a.s, opts) })
}

func runExport(ctx context.Context, s *session, opts *exportOptions) error {
	if err := refuseNested(s.Getenv, false); err != nil {
		return err
	}
	res, err := getCredentials(ctx, s, opts.ProfileName, opts.credFlags)
	if err != nil {
		return err
	}
	return printCredentials(s, opts.Format, res)
}

// printCredentials writes creds in format to stdout, in one write.
func printCredentials(s *session, format string, res *credentialsResult) error {
	out, err := vault.FormatCredentials(format, res.Profile.ProfileName, res.Profile.Region, res.Creds)
	if err != nil {
		return err
	}
	_, err = fmt.Fprint(s.Stdout, out)
	return err
}
