package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/config"
)

// say prints a line saying what was done, or with --dry-run what would be.
func (im *importer) say(done, would, rest string) {
	verb := done
	if im.opts.DryRun {
		verb = would
	}
	if verb == "" {
		return
	}
	fmt.Fprintf(im.g.deps.Stdout, "%s %s\n", verb, rest)
}

// verify asks AWS whether it accepts the key, in the profile's region.
func (im *importer) verify(ctx context.Context, name string, creds aws.Credentials) error {
	loader := &config.Loader{File: im.cfg, Getenv: im.g.deps.Getenv, ActiveProfile: name}
	p, err := loader.Load(name)
	if err != nil {
		return err
	}
	awsLoader, err := im.g.awsLoader()
	if err != nil {
		return err
	}
	arn, err := vault.VerifyAccessKey(ctx, awsLoader, p, creds)
	if code := vault.APIErrorCode(err); code == "InvalidClientTokenId" || code == "SignatureDoesNotMatch" {
		return &vault.HintedError{Err: err, Hint: fmt.Sprintf(
			"AWS refuses keys that are deleted, inactive or mistyped: correct them in %s, or import with --no-verify to store them anyway", im.file.Path)}
	}
	if err != nil {
		return err
	}
	im.g.logger.Printf("profile %s: the key works as %s", name, arn)
	return nil
}

// store saves the key and reads it back: the plaintext copy may be removed
// afterwards, so the keyring must really hold it. Sessions obtained with a
// replaced key are dropped.
func (im *importer) store(name string, creds aws.Credentials, replace bool) error {
	if err := im.ck.Set(name, creds); err != nil {
		return fmt.Errorf("storing credentials: %w", err)
	}
	got, err := im.ck.Get(name)
	if err != nil {
		return fmt.Errorf("reading back the key just stored: %w", err)
	}
	if got.AccessKeyID != creds.AccessKeyID || got.SecretAccessKey != creds.SecretAccessKey {
		return errors.New("the keyring gives back another key than the one just stored")
	}
	fmt.Fprintf(im.g.deps.Stdout, "Imported credentials for profile %q\n", name)
	if replace {
		sessions := &vault.SessionKeyring{Keyring: im.kr, Now: im.g.deps.Now}
		if _, err := sessions.RemoveForProfile(name); err != nil {
			fmt.Fprintf(im.g.deps.Stderr, "aws-vault: warning: profile %q: could not delete its cached sessions (%v): run aws-vault clear %s\n", name, err, name)
		}
	}
	return nil
}

// addConfig adds a section for the profile to the config file when it has
// none, as add does.
func (im *importer) addConfig(ctx context.Context, name string) error {
	if im.cfg.HasProfileSection(name) {
		return nil
	}
	section := "[profile " + name + "]"
	if name == "default" {
		section = "[default]"
	}
	if im.opts.DryRun {
		im.say("", "Would add", fmt.Sprintf("%s to %s", section, im.cfg.Path))
		return nil
	}
	added, err := im.cfg.AppendProfile(ctx, im.g.configLock(), name, nil)
	if err != nil || !added {
		return err
	}
	fmt.Fprintf(im.g.deps.Stdout, "Added %s to %s\n", section, im.cfg.Path)
	return nil
}

// removePlaintext takes the imported keys out of the credentials file.
func (im *importer) removePlaintext(names []string) error {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = fmt.Sprintf("%q", n)
	}
	what := fmt.Sprintf("the keys of %s from %s", strings.Join(quoted, ", "), im.file.Path)
	if im.opts.Backup {
		what += fmt.Sprintf(" (backup in %s.bak)", im.file.Path)
	}
	if im.opts.DryRun {
		im.say("", "Would remove", what)
		return nil
	}
	if err := im.file.RemoveKeys(names, im.opts.Backup); err != nil {
		return err
	}
	fmt.Fprintf(im.g.deps.Stdout, "Removed %s\n", what)
	return nil
}
