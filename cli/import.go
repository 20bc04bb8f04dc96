package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/config"
	"github.com/awsvault/aws-vault/vault/keyring"
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
	cmd := a.kp.Command("import", "Move long-term keys from the shared credentials file into the keyring.")
	cmd.Flag("file", "Credentials file to read (default: $AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials).").
		PlaceHolder("FILE").StringVar(&opts.File)
	cmd.Flag("no-verify", "Store keys without checking with AWS that they work.").BoolVar(&opts.NoVerify)
	cmd.Flag("remove-plaintext", "Then take the imported keys out of the credentials file, keeping everything else.").BoolVar(&opts.RemovePlaintext)
	cmd.Flag("backup", "With --remove-plaintext, first copy the file to FILE.bak, readable by you only.").BoolVar(&opts.Backup)
	cmd.Flag("dry-run", "Say what would be done, and change nothing.").BoolVar(&opts.DryRun)
	cmd.Flag("force", "Replace keys the keyring already has for a profile.").BoolVar(&opts.Force)
	cmd.Arg("profile", "Profiles to import (default: every profile in the file).").StringsVar(&opts.Profiles)
	a.register(cmd, func(ctx context.Context) error { return runImport(ctx, a.g, opts) })
}

// importer is the state of one import run.
type importer struct {
	g    *globalOptions
	opts *importOptions
	file *config.CredentialsFile
	cfg  *config.File
	ck   *vault.CredentialKeyring
	kr   keyring.Keyring
}

// runImport stores the keys of the credentials file's profiles in the
// keyring, one profile at a time: a bad profile is reported and the others
// are still imported. Failures make the exit status 1.
func runImport(ctx context.Context, g *globalOptions, opts *importOptions) error {
	if opts.Backup && !opts.RemovePlaintext {
		return errors.New("--backup only applies with --remove-plaintext")
	}
	im, err := newImporter(g, opts)
	if err != nil {
		return err
	}
	profiles, failures := im.selected()
	if len(profiles) == 0 && len(failures) == 0 {
		fmt.Fprintf(g.deps.Stdout, "No profiles in %s\n", im.file.Path)
	}
	var removable []string
	for _, p := range profiles {
		held, err := im.importProfile(ctx, p)
		if err != nil {
			failures = append(failures, fmt.Errorf("profile %q: %w", p.Name, err))
		}
		if held {
			removable = append(removable, p.Name)
		}
	}
	if opts.RemovePlaintext && len(removable) > 0 {
		if err := im.removePlaintext(removable); err != nil {
			failures = append(failures, err)
		}
	}
	return errors.Join(failures...)
}

func newImporter(g *globalOptions, opts *importOptions) (*importer, error) {
	path := opts.File
	if path == "" {
		home, err := g.deps.HomeDir()
		if err != nil && g.deps.Getenv("AWS_SHARED_CREDENTIALS_FILE") == "" {
			return nil, fmt.Errorf("finding the credentials file: %w", err)
		}
		path = config.CredentialsFilePath(g.deps.Getenv, home)
	}
	file, err := config.LoadCredentialsFile(path)
	if err != nil {
		return nil, err
	}
	cfg, err := g.ConfigFile()
	if err != nil {
		return nil, err
	}
	kr, err := g.Keyring()
	if err != nil {
		return nil, err
	}
	return &importer{g: g, opts: opts, file: file, cfg: cfg, kr: kr, ck: &vault.CredentialKeyring{Keyring: kr}}, nil
}

// selected returns the profiles to import: those named (each once), or all.
func (im *importer) selected() ([]config.CredentialsProfile, []error) {
	if len(im.opts.Profiles) == 0 {
		return im.file.Profiles, nil
	}
	var out []config.CredentialsProfile
	var missing []error
	for _, name := range im.opts.Profiles {
		p, ok := im.file.Profile(name)
		switch {
		case !ok:
			missing = append(missing, fmt.Errorf("profile %q is not in credentials file %s", name, im.file.Path))
		case !slices.ContainsFunc(out, func(q config.CredentialsProfile) bool { return q.Name == name }):
			out = append(out, p)
		}
	}
	return out, missing
}

// importProfile imports one profile. held reports whether the keyring now
// holds the file's key for it, so that the plaintext copy may go.
func (im *importer) importProfile(ctx context.Context, p config.CredentialsProfile) (held bool, err error) {
	if skip, err := im.check(p); skip != "" || err != nil {
		if skip != "" {
			im.say("Skipped", "Would skip", fmt.Sprintf("profile %q: %s", p.Name, skip))
		}
		return false, err
	}
	creds := aws.Credentials{AccessKeyID: p.AccessKeyID, SecretAccessKey: p.SecretAccessKey}
	replace, err := im.ck.Has(p.Name)
	if err != nil {
		return false, err
	}
	if replace {
		if end, held, err := im.existing(p.Name, creds); end {
			return held, err
		}
	}
	if im.opts.DryRun {
		im.say("", "Would import", fmt.Sprintf("credentials for profile %q", p.Name))
		im.addConfig(ctx, p.Name)
		return true, nil
	}
	if !im.opts.NoVerify {
		if err := im.verify(ctx, p.Name, creds); err != nil {
			return false, err
		}
	}
	if err := im.store(p.Name, creds, replace); err != nil {
		return false, err
	}
	return true, im.addConfig(ctx, p.Name)
}

// check returns why a profile is skipped, or an error for a malformed one.
func (im *importer) check(p config.CredentialsProfile) (string, error) {
	where := fmt.Sprintf("credentials file %s, line %d", im.file.Path, p.Line)
	if err := config.ValidateProfileName(p.Name); err != nil {
		return "", fmt.Errorf("%s: %w", where, err)
	}
	switch {
	case p.SessionToken != "":
		return "it has aws_session_token: temporary credentials expire, aws-vault stores long-term keys only", nil
	case p.AccessKeyID == "" && p.SecretAccessKey == "":
		return "no aws_access_key_id or aws_secret_access_key in it", nil
	case p.AccessKeyID == "":
		return "", fmt.Errorf("%s: aws_secret_access_key without aws_access_key_id", where)
	case p.SecretAccessKey == "":
		return "", fmt.Errorf("%s: aws_access_key_id without aws_secret_access_key", where)
	case strings.HasPrefix(p.Name, "profile "):
		return "", fmt.Errorf("%s: credentials file sections are named [%s], not [%s]", where, strings.TrimPrefix(p.Name, "profile "), p.Name)
	}
	return "", nil
}

// existing handles a profile the keyring already has credentials for: the
// same key needs nothing; another is kept unless --force. It reports
// whether the import of the profile ends here.
func (im *importer) existing(name string, creds aws.Credentials) (end, held bool, err error) {
	cur, err := im.ck.Get(name)
	switch {
	case err == nil && cur.AccessKeyID == creds.AccessKeyID && cur.SecretAccessKey == creds.SecretAccessKey:
		im.say("Skipped", "Would skip", fmt.Sprintf("profile %q: the keyring already has this key", name))
		return true, true, nil
	case im.opts.Force:
		return false, false, nil
	case err != nil:
		return true, false, err
	}
	im.say("Skipped", "Would skip", fmt.Sprintf("profile %q: the keyring already has another key for it (use --force to replace it)", name))
	return true, false, nil
}
