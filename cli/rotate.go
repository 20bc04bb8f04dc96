package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/alecthomas/kingpin/v2"
	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/config"
)

type rotateOptions struct {
	ProfileName string
	NoSession   bool
	OlderThan   string
	DryRun      bool
}

func configureRotate(a *App) {
	opts := &rotateOptions{}
	cmd := a.kp.Command("rotate", "Replace a profile's stored access key with a new one.").HelpLong(`
Creates a new access key for the IAM user, checks that it works, stores it,
and only then deletes the old key. With mfa_serial, one MFA code serves the
whole rotation.

Examples:
  aws-vault rotate work
  aws-vault rotate --older-than 90d --dry-run`)
	cmd.Flag("no-session", "Call IAM with the stored key itself, without a session or role.").Short('n').BoolVar(&opts.NoSession)
	cmd.Flag("older-than", "Rotate every stored key (or only the profile's) older than this, one after another, e.g. 90d or 2160h.").
		PlaceHolder("AGE").StringVar(&opts.OlderThan)
	cmd.Flag("dry-run", "With --older-than, list the keys it would rotate and change nothing.").BoolVar(&opts.DryRun)
	cmd.Arg("profile", "Name of the profile (optional with --older-than).").HintAction(a.completeProfiles).StringVar(&opts.ProfileName)
	cmd.Validate(func(*kingpin.CmdClause) error { return opts.validate() })
	a.register(cmd, func(ctx context.Context) error { return runRotate(ctx, a.s, opts) })
}

// validate checks the arguments as the parser does: without --older-than
// the profile is required, as in aws-vault v7 (in its words).
func (o *rotateOptions) validate() error {
	switch {
	case o.OlderThan == "" && o.DryRun:
		return errors.New("--dry-run lists what --older-than would rotate; add --older-than AGE")
	case o.OlderThan == "" && o.ProfileName == "":
		return errors.New("required argument 'profile' not provided")
	}
	return nil
}

// runRotate rotates the key stored for the profile (or its source). The
// steps, their safety rules and messages are vault.Rotate's.
func runRotate(ctx context.Context, s *session, opts *rotateOptions) error {
	if opts.OlderThan != "" {
		return runRotateOlder(ctx, s, opts)
	}
	p, err := resolveProfile(s, opts.ProfileName, credFlags{})
	if err != nil {
		return err
	}
	o, err := rotateOptionsFor(ctx, s, opts)
	if err != nil {
		return err
	}
	return vault.Rotate(ctx, o, p)
}

func rotateOptionsFor(ctx context.Context, s *session, opts *rotateOptions) (vault.RotateOptions, error) {
	kr, err := s.Keyring(ctx)
	if err != nil {
		return vault.RotateOptions{}, err
	}
	loader, err := awsLoader(s)
	if err != nil {
		return vault.RotateOptions{}, err
	}
	return vault.RotateOptions{
		Keyring:   kr,
		AWS:       loader,
		MFA:       newMFASource(s, ""),
		Now:       s.Now,
		NoSession: opts.NoSession,
		Report:    s.report(),
		Logf:      s.log.Printf,
	}, nil
}

// runRotateOlder rotates the stored keys older than --older-than (of the
// profile, when one is named), then prints a line per key.
func runRotateOlder(ctx context.Context, s *session, opts *rotateOptions) error {
	age, err := vault.ParseAge(opts.OlderThan)
	if err != nil {
		return fmt.Errorf("--older-than: %w", err)
	}
	o, err := rotateOptionsFor(ctx, s, opts)
	if err != nil {
		return err
	}
	older := vault.RotateOlderOptions{
		RotateOptions: o, OlderThan: age, DryRun: opts.DryRun,
		Resolve: func(name string) (*config.Profile, error) { return resolveProfile(s, name, credFlags{}) },
	}
	if opts.ProfileName != "" {
		older.Profiles = []string{opts.ProfileName}
	}
	results, err := vault.RotateOlder(ctx, older)
	for _, r := range results {
		fmt.Fprintln(s.Stdout, rotationSummary(r, s.Now()))
	}
	if len(results) == 0 && err == nil {
		fmt.Fprintln(s.Stdout, "No stored keys")
	}
	return err
}

// rotationSummary is the line saying what became of one key.
func rotationSummary(r vault.KeyRotation, now time.Time) string {
	age := ""
	if !r.Since.IsZero() {
		when := "stored " + r.Since.UTC().Format("2006-01-02")
		if r.FromIAM {
			when = "created " + r.Since.UTC().Format("2006-01-02") + ", says IAM"
		}
		age = fmt.Sprintf(" (%s old; %s)", vault.FormatAge(now.Sub(r.Since)), when)
	}
	switch r.Outcome {
	case vault.KeyRotated:
		return fmt.Sprintf("%s: rotated %s%s, now %s", r.Profile, r.OldKeyID, age, r.NewKeyID)
	case vault.KeyWouldRotate:
		return fmt.Sprintf("%s: would rotate %s%s", r.Profile, r.OldKeyID, age)
	case vault.KeyKept:
		return fmt.Sprintf("%s: kept %s%s", r.Profile, r.OldKeyID, age)
	}
	return fmt.Sprintf("%s: failed: %s", r.Profile, oneLine(vault.ErrorText(r.Err)))
}
