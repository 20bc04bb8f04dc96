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
	cmd := a.kp.Command("export", "Print temporary credentials for a profile.").HelpLong(`
Prints environment variable assignments, or the format --format names:
--format=json is what an AWS SDK's credential_process reads.

Examples:
  aws-vault export work
  aws-vault export --format=json work`)
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
	return printCredentials(s, "export", opts.Format, res)
}

// printCredentials writes creds in format to stdout, in one write, and
// records the hand-out for command in the issuance log.
func printCredentials(s *session, command, format string, res *credentialsResult) error {
	out, err := vault.FormatCredentials(format, res.Profile.ProfileName, res.Profile.Region, res.Creds)
	if err != nil {
		return err
	}
	if _, err = fmt.Fprint(s.Stdout, out); err != nil {
		return err
	}
	recordHandout(s, command, format, res)
	return nil
}
