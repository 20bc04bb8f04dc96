package vault

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/awsvault/aws-vault/vault/config"
)

// ImportOptions are the inputs of an import of long-term keys from a
// shared credentials file into the keyring.
type ImportOptions struct {
	// File is the credentials file read; Config is the config file that
	// sections are added to, as add does.
	File   *config.CredentialsFile
	Config *config.File
	Store  *Store
	// AWS gives the SDK configuration of the verification calls; it is
	// asked only when a key is verified.
	AWS func() (*AWSConfigLoader, error)
	// Getenv reads the environment when a profile is resolved for the
	// region of its GetCallerIdentity.
	Getenv func(string) string
	// Lock serialises writes of the config file across processes.
	Lock config.LockFunc
	// Report is told what was done (or, with DryRun, what would be).
	Report Reporter
	// Logf writes --debug lines; it never receives a secret.
	Logf func(format string, args ...any)

	// Profiles are the profiles to import; none means every one.
	Profiles        []string
	NoVerify        bool
	RemovePlaintext bool
	Backup          bool
	DryRun          bool
	Force           bool
}

// Import stores the keys of the credentials file's profiles in the keyring,
// one profile at a time: a bad profile is reported and the others are
// still imported. Each key is verified with GetCallerIdentity first
// (unless NoVerify), read back once stored, and only then taken out of the
// file (RemovePlaintext). The error joins every profile's failure.
func Import(ctx context.Context, o ImportOptions) error {
	if o.Report == nil {
		o.Report = quiet{}
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	im := &importer{o: o}
	profiles, failures := im.selected()
	if len(profiles) == 0 && len(failures) == 0 {
		o.Report.Progress(fmt.Sprintf("No profiles in %s", o.File.Path))
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
	if o.RemovePlaintext && len(removable) > 0 {
		if err := im.removePlaintext(removable); err != nil {
			failures = append(failures, err)
		}
	}
	return errors.Join(failures...)
}

// importer is the state of one Import.
type importer struct {
	o ImportOptions
}

// selected returns the profiles to import: those named (each once), or all.
func (im *importer) selected() ([]config.CredentialsProfile, []error) {
	file := im.o.File
	if len(im.o.Profiles) == 0 {
		return file.Profiles, nil
	}
	var out []config.CredentialsProfile
	var missing []error
	for _, name := range im.o.Profiles {
		p, ok := file.Profile(name)
		switch {
		case !ok:
			missing = append(missing, fmt.Errorf("profile %q is not in credentials file %s", name, file.Path))
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
	replace, err := im.o.Store.HasCredentials(p.Name)
	if err != nil {
		return false, err
	}
	if replace {
		if end, held, err := im.existing(p.Name, creds); end {
			return held, err
		}
	}
	if im.o.DryRun {
		im.say("", "Would import", fmt.Sprintf("credentials for profile %q", p.Name))
		im.addConfig(ctx, p.Name)
		return true, nil
	}
	if !im.o.NoVerify {
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
	where := fmt.Sprintf("credentials file %s, line %d", im.o.File.Path, p.Line)
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
// same key needs nothing; another is kept unless Force. It reports whether
// the import of the profile ends here.
func (im *importer) existing(name string, creds aws.Credentials) (end, held bool, err error) {
	cur, err := im.o.Store.Credentials(name)
	switch {
	case err == nil && cur.AccessKeyID == creds.AccessKeyID && cur.SecretAccessKey == creds.SecretAccessKey:
		im.say("Skipped", "Would skip", fmt.Sprintf("profile %q: the keyring already has this key", name))
		return true, true, nil
	case im.o.Force:
		return false, false, nil
	case err != nil:
		return true, false, err
	}
	im.say("Skipped", "Would skip", fmt.Sprintf("profile %q: the keyring already has another key for it (use --force to replace it)", name))
	return true, false, nil
}

// VerifyAccessKey asks AWS (sts:GetCallerIdentity, which needs no
// permission) whether it accepts creds, for profile p's region and
// endpoints (us-east-1 when p has no region). It returns the identity ARN.
func VerifyAccessKey(ctx context.Context, loader *AWSConfigLoader, p *config.Profile, creds aws.Credentials) (string, error) {
	cp := *p
	if cp.Region == "" {
		cp.Region = "us-east-1"
	}
	client, err := loader.stsClient(ctx, &cp, staticCredentials(creds))
	if err != nil {
		return "", err
	}
	out, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", fmt.Errorf("AWS did not accept the access key %s: %w", MaskKeyID(creds.AccessKeyID), err)
	}
	return aws.ToString(out.Arn), nil
}
