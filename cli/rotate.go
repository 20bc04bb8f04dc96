package cli

import (
	"context"

	"github.com/awsvault/aws-vault/vault"
)

type rotateOptions struct {
	ProfileName string
	NoSession   bool
}

func configureRotate(a *App) {
	opts := &rotateOptions{}
	cmd := a.kp.Command("rotate", "Replace a profile's stored access key with a new one.").HelpLong(`
Creates a new access key for the IAM user, checks that it works, stores it,
and only then deletes the old key. With mfa_serial, one MFA code serves the
whole rotation.

Examples:
  aws-vault rotate work
  aws-vault rotate --no-session work`)
	cmd.Flag("no-session", "Call IAM with the stored key itself, without a session or role.").Short('n').BoolVar(&opts.NoSession)
	cmd.Arg("profile", "Name of the profile.").Required().HintAction(a.completeProfiles).StringVar(&opts.ProfileName)
	a.register(cmd, func(ctx context.Context) error { return runRotate(ctx, a.s, opts) })
}

// runRotate rotates the key stored for the profile (or its source). The
// steps, their safety rules and messages are vault.Rotate's.
func runRotate(ctx context.Context, s *session, opts *rotateOptions) error {
	p, err := resolveProfile(s, opts.ProfileName, credFlags{})
	if err != nil {
		return err
	}
	kr, err := s.Keyring(ctx)
	if err != nil {
		return err
	}
	loader, err := awsLoader(s)
	if err != nil {
		return err
	}
	return vault.Rotate(ctx, vault.RotateOptions{
		Keyring:   kr,
		AWS:       loader,
		MFA:       newMFASource(s, ""),
		Now:       s.Now,
		NoSession: opts.NoSession,
		Report:    s.report(),
		Logf:      s.log.Printf,
	}, p)
}
