package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsvault/aws-vault/prompt"
	"github.com/awsvault/aws-vault/vault/config"
	"github.com/awsvault/aws-vault/vault/keyring"
)

type addOptions struct {
	ProfileName string
	FromEnv     bool
	AddConfig   bool
}

func configureAdd(a *App) {
	opts := &addOptions{}
	cmd := a.kp.Command("add", "Store a profile's long-term access key in the keyring.").HelpLong(`
Asks for the access key ID and the secret access key on the terminal, or
reads them from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY with --env. Adds
a [profile NAME] section to the config file when it has none.

Examples:
  aws-vault add work
  aws-vault add --env work             # the key from the environment`)
	cmd.Arg("profile", "Name of the profile.").Required().HintAction(a.completeKeyProfiles).StringVar(&opts.ProfileName)
	cmd.Flag("env", "Read the key from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead of asking.").BoolVar(&opts.FromEnv)
	cmd.Flag("add-config", "Add a [profile NAME] section to the config file when it has none.").Default("true").BoolVar(&opts.AddConfig)
	a.register(cmd, func(ctx context.Context) error { return runAdd(ctx, a.s, opts) })
}

func runAdd(ctx context.Context, s *session, opts *addOptions) error {
	// Before anything is asked or opened: the name goes into the keyring
	// and the config file.
	if err := config.ValidateProfileName(opts.ProfileName); err != nil {
		return err
	}
	cfg, err := s.Config()
	if err != nil {
		return err
	}
	if sec, ok := cfg.ProfileSection(opts.ProfileName); ok && sec.SourceProfile != "" {
		return fmt.Errorf("Your profile has a source_profile of %s, adding credentials to %s won't have any effect",
			sec.SourceProfile, opts.ProfileName)
	}
	creds, err := readNewKey(ctx, s, opts.FromEnv)
	if err != nil {
		return err
	}
	store, err := s.Store(ctx)
	if err != nil {
		return err
	}
	if err := store.SetCredentials(opts.ProfileName, creds); err != nil {
		return fmt.Errorf("storing credentials of profile %s: %w", opts.ProfileName, err)
	}
	fmt.Fprintf(s.Stdout, "Added credentials to profile %q in vault\n", opts.ProfileName)
	if err := warnWhereStored(s); err != nil {
		return err
	}
	n, err := store.RemoveSessions(opts.ProfileName)
	if err != nil {
		return err
	}
	if n > 0 {
		fmt.Fprintf(s.Stdout, "Deleted %d existing sessions.\n", n)
	}
	if opts.AddConfig && !cfg.HasProfileSection(opts.ProfileName) {
		_, err := cfg.AppendProfile(ctx, s.configLock(), opts.ProfileName, nil)
		return err
	}
	return nil
}

// warnWhereStored tells the user, on stderr, where a new key went when
// that needs saying: in the encrypted file keyring because no system
// keyring opened (automatic selection), or in a kernel keyring that the
// kernel empties (keyctl). Only add says it; other commands stay quiet.
func warnWhereStored(s *session) error {
	if s.backend == keyring.KeyctlBackend {
		scope := s.flags.KeyctlScope
		if scope == "" {
			scope = "user"
		}
		s.report().Warning(fmt.Sprintf("the keyctl backend keeps keys in the kernel's %s keyring, %s", scope, keyring.KeyctlLifetime(scope)))
		return nil
	}
	if s.flags.Backend != "" || s.backend != keyring.FileBackend {
		return nil
	}
	dir, err := s.fileDir()
	if err != nil {
		return err
	}
	s.report().Note(fmt.Sprintf("no system keyring could be opened; the key is in the encrypted file keyring in %s", dir))
	return nil
}

// readNewKey reads the access key from the environment or the terminal.
func readNewKey(ctx context.Context, s *session, fromEnv bool) (aws.Credentials, error) {
	if fromEnv {
		id, secret := s.Getenv("AWS_ACCESS_KEY_ID"), s.Getenv("AWS_SECRET_ACCESS_KEY")
		if id == "" {
			return aws.Credentials{}, errors.New("Missing value for AWS_ACCESS_KEY_ID")
		}
		if secret == "" {
			return aws.Credentials{}, errors.New("Missing value for AWS_SECRET_ACCESS_KEY")
		}
		return aws.Credentials{AccessKeyID: id, SecretAccessKey: secret}, nil
	}
	term := prompt.Terminal{Open: s.OpenTTY}
	id, err := term.AskContext(ctx, "Enter Access Key ID: ")
	if err == nil && id == "" {
		err = errors.New("no access key ID entered")
	}
	var secret string
	if err == nil {
		secret, err = term.AskSecretContext(ctx, "Enter Secret Access Key: ")
	}
	if err == nil && secret == "" {
		err = errors.New("no secret access key entered")
	}
	if errors.Is(err, prompt.ErrNoTerminal) {
		err = errors.New("no terminal to ask for the access key on: use --env with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
	}
	return aws.Credentials{AccessKeyID: id, SecretAccessKey: secret}, err
}
