package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/config"
)

type importOptions struct {
	Profiles        []string
	File            string
	NoVerify        bool
	RemovePlaintext bool
	Backup          bool
	DryRun          bool
	Force           bool
}

func configureImport(a *App) {
	opts := &importOptions{}
	cmd := a.kp.Command("import", "Move long-term keys from the shared credentials file into the keyring.").HelpLong(`
Checks each key with AWS before storing it (unless --no-verify), and keeps
keys the keyring already has (unless --force). --remove-plaintext then takes
the imported keys out of the credentials file.

Examples:
  aws-vault import --dry-run
  aws-vault import --remove-plaintext --backup work`)
	cmd.Flag("file", "Credentials file to read (default: $AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials).").
		PlaceHolder("FILE").StringVar(&opts.File)
	cmd.Flag("no-verify", "Store keys without checking with AWS that they work.").BoolVar(&opts.NoVerify)
	cmd.Flag("remove-plaintext", "Take the imported keys out of the credentials file afterwards, keeping everything else.").BoolVar(&opts.RemovePlaintext)
	cmd.Flag("backup", "With --remove-plaintext, first copy the file to FILE.bak, readable by you only.").BoolVar(&opts.Backup)
	cmd.Flag("dry-run", "Say what would be done, and change nothing.").BoolVar(&opts.DryRun)
	cmd.Flag("force", "Replace keys the keyring already has for a profile.").BoolVar(&opts.Force)
	cmd.Arg("profile", "Profiles to import (default: every profile in the file).").
		HintAction(a.completeCredentialsProfiles).StringsVar(&opts.Profiles)
	a.register(cmd, func(ctx context.Context) error { return runImport(ctx, a.s, opts) })
}

// runImport moves the keys of the credentials file into the keyring
// (vault.Import: one profile at a time, a bad profile reported while the
// others are still imported). Failures make the exit status 1.
func runImport(ctx context.Context, s *session, opts *importOptions) error {
	if opts.Backup && !opts.RemovePlaintext {
		return errors.New("--backup only applies with --remove-plaintext")
	}
	path := opts.File
	if path == "" {
		home, err := s.HomeDir()
		if err != nil && s.Getenv("AWS_SHARED_CREDENTIALS_FILE") == "" {
			return fmt.Errorf("finding the credentials file: %w", err)
		}
		path = config.CredentialsFilePath(s.Getenv, home)
	}
	file, err := config.LoadCredentialsFile(path)
	if err != nil {
		return err
	}
	cfg, err := s.Config()
	if err != nil {
		return err
	}
	store, err := s.Store(ctx)
	if err != nil {
		return err
	}
	return vault.Import(ctx, vault.ImportOptions{
		File: file, Config: cfg, Store: store,
		AWS:    func() (*vault.AWSConfigLoader, error) { return awsLoader(s) },
		Getenv: s.Getenv, Lock: s.configLock(), Report: s.report(), Logf: s.log.Printf,
		Profiles: opts.Profiles, NoVerify: opts.NoVerify, RemovePlaintext: opts.RemovePlaintext,
		Backup: opts.Backup, DryRun: opts.DryRun, Force: opts.Force,
	})
}
