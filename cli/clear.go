package cli

import (
	"context"
	"fmt"

	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/config"
)

type clearOptions struct {
	ProfileName string
}

func configureClear(a *App) {
	opts := &clearOptions{}
	cmd := a.kp.Command("clear", "Delete cached sessions and SSO tokens, of one profile or all.").HelpLong(`
Long-term keys stay in the keyring; the next command that needs credentials
gets new sessions.

Examples:
  aws-vault clear
  aws-vault clear work`)
	cmd.Arg("profile", "Name of the profile (all profiles when omitted).").HintAction(a.completeProfiles).StringVar(&opts.ProfileName)
	a.register(cmd, func(ctx context.Context) error { return runClear(ctx, a.s, opts) })
}

func runClear(ctx context.Context, s *session, opts *clearOptions) error {
	store, err := s.Store(ctx)
	if err != nil {
		return err
	}
	var n int
	if opts.ProfileName == "" {
		n, err = store.ClearAll()
	} else {
		n, err = clearProfile(s, store, opts.ProfileName)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(s.Stdout, "Cleared %d sessions.\n", n)
	return nil
}

func clearProfile(s *session, store *vault.Store, profile string) (int, error) {
	cfg, err := s.Config()
	if err != nil {
		return 0, err
	}
	pc, err := cfg.LoadProfile(profile, s.Getenv, config.Profile{})
	if err != nil {
		return 0, err
	}
	return store.ClearProfile(pc)
}
