package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/awsvault/aws-vault/prompt"
	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/keyring"
)

type removeOptions struct {
	ProfileName  string
	Force        bool
	SessionsOnly bool
}

func configureRemove(a *App) {
	opts := &removeOptions{}
	cmd := a.kp.Command("remove", "Delete a profile's long-term access key from the keyring.").Alias("rm").HelpLong(`
Asks for confirmation on the terminal first, unless --force is given.

Examples:
  aws-vault remove work
  aws-vault remove --force work`)
	cmd.Arg("profile", "Name of the profile.").Required().HintAction(a.completeProfiles).StringVar(&opts.ProfileName)
	cmd.Flag("force", "Delete without asking for confirmation.").Short('f').BoolVar(&opts.Force)
	cmd.Flag("sessions-only", "Delete only the profile's cached sessions (deprecated: use clear).").
		Short('s').Hidden().BoolVar(&opts.SessionsOnly)
	a.register(cmd, func(ctx context.Context) error { return runRemove(ctx, a.s, opts) })
}

func runRemove(ctx context.Context, s *session, opts *removeOptions) error {
	store, err := s.Store(ctx)
	if err != nil {
		return err
	}
	if opts.SessionsOnly {
		n, err := store.RemoveSessions(opts.ProfileName)
		if err != nil {
			return err
		}
		fmt.Fprintf(s.Stdout, "Deleted %d sessions.\n", n)
		return nil
	}
	if !opts.Force {
		ok, err := confirmRemove(ctx, s, store, opts.ProfileName)
		if err != nil || !ok {
			return err
		}
	}
	if err := store.RemoveCredentials(opts.ProfileName); err != nil {
		if errors.Is(err, keyring.ErrKeyNotFound) {
			return fmt.Errorf("profile %s has no credentials stored in the keyring", opts.ProfileName)
		}
		return err
	}
	fmt.Fprintln(s.Stdout, "Deleted credentials.")
	return nil
}

// confirmRemove asks y/N on the terminal; it does not ask when nothing is
// stored (the removal then reports that).
func confirmRemove(ctx context.Context, s *session, store *vault.Store, profile string) (bool, error) {
	if has, err := store.HasCredentials(profile); err != nil || !has {
		return true, err
	}
	answer, err := prompt.Terminal{Open: s.OpenTTY}.AskContext(ctx, fmt.Sprintf("Delete credentials for profile %q? (y|N) ", profile))
	if errors.Is(err, prompt.ErrNoTerminal) {
		return false, errors.New("no terminal to confirm on: use --force (-f) to delete without asking")
	}
	if err != nil {
		return false, err
	}
	switch strings.ToLower(answer) {
	case "y", "yes":
		return true, nil
	}
	return false, nil
}
