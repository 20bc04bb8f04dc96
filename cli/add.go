package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsvault/aws-vault/prompt"
	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/config"
)

type addOptions struct {
	ProfileName string
	FromEnv     bool
	AddConfig   bool
}

func configureAdd(a *App) {
	opts := &addOptions{}
	cmd := a.kp.Command("add", "Store a profile's long-term access key in the keyring.")
	cmd.Arg("profile", "Name of the profile.").Required().StringVar(&opts.ProfileName)
	cmd.Flag("env", "Read the key from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead of asking.").BoolVar(&opts.FromEnv)
	cmd.Flag("add-config", "Add a [profile NAME] section to the config file when it has none.").Default("true").BoolVar(&opts.AddConfig)
	a.register(cmd, func(ctx context.Context) error { return runAdd(ctx, a.g, opts) })
}

func runAdd(ctx context.Context, g *globalOptions, opts *addOptions) error {
	// Before anything is asked or opened: the name goes into the keyring
	// and the config file.
	if err := config.ValidateProfileName(opts.ProfileName); err != nil {
		return err
	}
	cfg, err := g.ConfigFile()
	if err != nil {
		return err
	}
	if sec, ok := cfg.ProfileSection(opts.ProfileName); ok && sec.SourceProfile != "" {
		return fmt.Errorf("Your profile has a source_profile of %s, adding credentials to %s won't have any effect",
			sec.SourceProfile, opts.ProfileName)
	}
	creds, err := readNewKey(ctx, g, opts.FromEnv)
	if err != nil {
		return err
	}
	kr, err := g.Keyring()
	if err != nil {
		return err
	}
	if err := (&vault.CredentialKeyring{Keyring: kr}).Set(opts.ProfileName, creds); err != nil {
		return fmt.Errorf("storing credentials of profile %s: %w", opts.ProfileName, err)
	}
	fmt.Fprintf(g.deps.Stdout, "Added credentials to profile %q in vault\n", opts.ProfileName)
	if err := g.warnFileFallback(); err != nil {
		return err
	}
	sessions := &vault.SessionKeyring{Keyring: kr, Now: g.deps.Now}
	n, err := sessions.RemoveForProfile(opts.ProfileName)
	if err != nil {
		return err
	}
	if n > 0 {
		fmt.Fprintf(g.deps.Stdout, "Deleted %d existing sessions.\n", n)
	}
	if opts.AddConfig && !cfg.HasProfileSection(opts.ProfileName) {
		_, err := cfg.AppendProfile(ctx, g.configLock(), opts.ProfileName, nil)
		return err
	}
	return nil
}

// readNewKey reads the access key from the environment or the terminal.
func readNewKey(ctx context.Context, g *globalOptions, fromEnv bool) (aws.Credentials, error) {
	if fromEnv {
		id, secret := g.deps.Getenv("AWS_ACCESS_KEY_ID"), g.deps.Getenv("AWS_SECRET_ACCESS_KEY")
		if id == "" {
			return aws.Credentials{}, errors.New("Missing value for AWS_ACCESS_KEY_ID")
		}
		if secret == "" {
			return aws.Credentials{}, errors.New("Missing value for AWS_SECRET_ACCESS_KEY")
		}
		return aws.Credentials{AccessKeyID: id, SecretAccessKey: secret}, nil
	}
	term := g.terminal()
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
