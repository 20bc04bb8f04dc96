package vault

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsvault/aws-vault/vault/config"
)

// say reports a line saying what was done, or with DryRun what would be.
func (im *importer) say(done, would, rest string) {
	verb := done
	if im.o.DryRun {
		verb = would
	}
	if verb == "" {
		return
	}
	im.o.Report.Progress(verb + " " + rest)
}

// verify asks AWS whether it accepts the key, in the profile's region.
func (im *importer) verify(ctx context.Context, name string, creds aws.Credentials) error {
	p, err := im.o.Config.LoadProfile(name, im.o.Getenv, config.Profile{})
	if err != nil {
		return err
	}
	awsLoader, err := im.o.AWS()
	if err != nil {
		return err
	}
	arn, err := VerifyAccessKey(ctx, awsLoader, p, creds)
	if code := APIErrorCode(err); code == "InvalidClientTokenId" || code == "SignatureDoesNotMatch" {
		return &HintedError{Err: err, Hint: fmt.Sprintf(
			"AWS refuses keys that are deleted, inactive or mistyped: correct them in %s, or import with --no-verify to store them anyway", im.o.File.Path)}
	}
	if err != nil {
		return err
	}
	im.o.Logf("profile %s: the key works as %s", name, arn)
	return nil
}

// store saves the key and reads it back: the plaintext copy may be removed
// afterwards, so the keyring must really hold it. Sessions obtained with a
// replaced key are dropped.
func (im *importer) store(name string, creds aws.Credentials, replace bool) error {
	if err := im.o.Store.SetCredentials(name, creds); err != nil {
		return fmt.Errorf("storing credentials: %w", err)
	}
	got, err := im.o.Store.Credentials(name)
	if err != nil {
		return fmt.Errorf("reading back the key just stored: %w", err)
	}
	if got.AccessKeyID != creds.AccessKeyID || got.SecretAccessKey != creds.SecretAccessKey {
		return errors.New("the keyring gives back another key than the one just stored")
	}
	im.o.Report.Progress(fmt.Sprintf("Imported credentials for profile %q", name))
	if replace {
		if _, err := im.o.Store.RemoveSessions(name); err != nil {
			im.o.Report.Warning(fmt.Sprintf("profile %q: could not delete its cached sessions (%v): run aws-vault clear %s", name, err, name))
		}
	}
	return nil
}

// addConfig adds a section for the profile to the config file when it has
// none, as add does.
func (im *importer) addConfig(ctx context.Context, name string) error {
	cfg := im.o.Config
	if cfg.HasProfileSection(name) {
		return nil
	}
	section := "[profile " + name + "]"
	if name == "default" {
		section = "[default]"
	}
	if im.o.DryRun {
		im.say("", "Would add", fmt.Sprintf("%s to %s", section, cfg.Path))
		return nil
	}
	added, err := cfg.AppendProfile(ctx, im.o.Lock, name, nil)
	if err != nil || !added {
		return err
	}
	im.o.Report.Progress(fmt.Sprintf("Added %s to %s", section, cfg.Path))
	return nil
}

// removePlaintext takes the imported keys out of the credentials file.
func (im *importer) removePlaintext(names []string) error {
	file := im.o.File
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = fmt.Sprintf("%q", n)
	}
	what := fmt.Sprintf("the keys of %s from %s", strings.Join(quoted, ", "), file.Path)
	if im.o.Backup {
		what += fmt.Sprintf(" (backup in %s.bak)", file.Path)
	}
	if im.o.DryRun {
		im.say("", "Would remove", what)
		return nil
	}
	if err := file.RemoveKeys(names, im.o.Backup); err != nil {
		return err
	}
	im.o.Report.Progress("Removed " + what)
	return nil
}
