package vault

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/awsvault/aws-vault/vault/config"
	"github.com/awsvault/aws-vault/vault/keyring"
)

// ErrNoMasterCredentials is aws-vault's wording for a profile whose key is
// stored neither under its own name nor under its direct source_profile.
var ErrNoMasterCredentials = errors.New("No master credentials found")

// RotateOptions are the inputs of a key rotation.
type RotateOptions struct {
	Keyring keyring.Keyring
	AWS     *AWSConfigLoader
	// MFA supplies the one code a rotation with mfa_serial needs.
	MFA MFATokenSource
	Now func() time.Time
	// NoSession calls IAM with the stored key itself (--no-session).
	NoSession bool
	// Report is told each step and what the user should know (nil: no
	// one).
	Report Reporter
	// Logf writes --debug lines; it never receives a secret.
	Logf   func(format string, args ...any)
	Timing RotateTiming
}

// RotateTiming bounds the waits of a rotation; zero fields take defaults.
type RotateTiming struct {
	// VerifyFor is how long a new key may take to be accepted by AWS
	// (default 30s); the first retry comes after VerifyFirst (500ms), each
	// later one after twice the previous wait, at most 5s.
	VerifyFor   time.Duration
	VerifyFirst time.Duration
	// DeleteFor and DeleteEvery are the old key's deletion retries (20s,
	// every 2s, as aws-vault v7).
	DeleteFor   time.Duration
	DeleteEvery time.Duration
	// Sleep waits d or until ctx ends; tests make it instant.
	Sleep func(ctx context.Context, d time.Duration) error
}

func (t *RotateTiming) setDefaults() {
	for _, d := range []struct {
		field *time.Duration
		def   time.Duration
	}{{&t.VerifyFor, 30 * time.Second}, {&t.VerifyFirst, 500 * time.Millisecond}, {&t.DeleteFor, 20 * time.Second}, {&t.DeleteEvery, 2 * time.Second}} {
		if *d.field == 0 {
			*d.field = d.def
		}
	}
	if t.Sleep == nil {
		t.Sleep = SleepContext
	}
}

// MaskKeyID is how aws-vault shows an access key id: sixteen asterisks and
// its last four characters.
func MaskKeyID(id string) string {
	return strings.Repeat("*", 16) + id[max(0, len(id)-4):]
}

// RotateKeyName finds the stored key a rotation of target replaces: the
// profile's own, else its direct source_profile's (one level, as aws-vault).
// It returns the key's name and the profile it belongs to.
func RotateKeyName(store *Store, target *config.Profile) (string, *config.Profile, error) {
	keys, err := store.CredentialProfiles()
	if err != nil {
		return "", nil, fmt.Errorf("listing keyring items: %w", err)
	}
	if slices.Contains(keys, target.ProfileName) {
		return target.ProfileName, target, nil
	}
	if !target.HasSection {
		return "", nil, missingProfileError(target, target)
	}
	if src := target.SourceProfile; src != nil && slices.Contains(keys, src.ProfileName) {
		return src.ProfileName, src, nil
	}
	return "", nil, fmt.Errorf("Error determining credential name for '%s': %w", target.ProfileName, ErrNoMasterCredentials)
}

// Rotate replaces the access key stored for target (or its source) with a
// new one, so that whatever fails, exactly one working key stays stored
// and no key AWS holds is lost track of (see the README's rotate section):
// ListAccessKeys (refusing a third key), CreateAccessKey, proof that AWS
// accepts the new key, store, purge the chain's sessions, and only then
// DeleteAccessKey of the old key.
//
// The IAM permissions it needs, on the user's own key:
//
//	{"Effect": "Allow",
//	 "Action": ["iam:GetUser", "iam:ListAccessKeys", "iam:CreateAccessKey", "iam:DeleteAccessKey"],
//	 "Resource": "arn:aws:iam::*:user/${aws:username}"}
//
// (iam:GetUser for role profiles only; without iam:ListAccessKeys the
// two-key check is skipped with a note.)
func Rotate(ctx context.Context, o RotateOptions, target *config.Profile) error {
	r, err := newRotation(o, target)
	if err != nil {
		return err
	}
	r.announce()
	if err := r.readOld(); err != nil {
		return err
	}
	if err := r.connect(ctx); err != nil {
		return err
	}
	if err := r.listKeys(ctx); err != nil {
		return err
	}
	return r.replace(ctx)
}

// replace is the rotation once the IAM calls are set up and the user's
// keys listed: refuse a third key, create, verify, store, purge, delete.
func (r *rotation) replace(ctx context.Context) error {
	if err := r.checkKeyCount(); err != nil {
		return err
	}
	if err := r.create(ctx); err != nil {
		return err
	}
	if err := r.verify(ctx); err != nil {
		return r.abandon(ctx, err)
	}
	if err := r.storeNew(); err != nil {
		return r.abandon(ctx, err)
	}
	r.purge()
	return r.deleteOld(ctx)
}

// rotation is the state of one Rotate.
type rotation struct {
	o       RotateOptions
	store   *Store
	target  *config.Profile
	keyName string
	// keyProf is the key's profile with a region for the STS calls.
	keyProf config.Profile
	old     aws.Credentials
	// oldStoredAt is when the old key was stored (zero: unknown); it is
	// kept if the old key has to be put back.
	oldStoredAt time.Time
	newKey      aws.Credentials
	// keys are the user's access keys as ListAccessKeys gave them; listed
	// says the call was answered.
	keys   []iamtypes.AccessKeyMetadata
	listed bool

	// iamCreds signs IAM calls until the new key exists: the stored key,
	// or one MFA session obtained with it.
	iamCreds  aws.CredentialsProvider
	iamClient *iam.Client
	usedMFA   bool
	// userName is sent as UserName (role profiles only, as aws-vault);
	// user is the key's owner as IAM reported it, for messages.
	userName string
	user     string
}

func newRotation(o RotateOptions, target *config.Profile) (*rotation, error) {
	o.Timing.setDefaults()
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	if o.Report == nil {
		o.Report = quiet{}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	store := &Store{Keyring: o.Keyring, Now: o.Now}
	name, keyProfile, err := RotateKeyName(store, target)
	if err != nil {
		return nil, err
	}
	r := &rotation{o: o, store: store, target: target, keyName: name, keyProf: *keyProfile}
	if r.keyProf.Region == "" {
		// IAM is global; STS answers every commercial account in us-east-1.
		r.keyProf.Region = "us-east-1"
	}
	return r, nil
}

// announce says what is rotated, as aws-vault v7 does before it reads the
// key.
func (r *rotation) announce() {
	if r.o.NoSession {
		r.o.Report.Progress(fmt.Sprintf("Rotating credentials stored for profile '%s' using master credentials (takes 10-20 seconds)", r.keyName))
	} else {
		r.o.Report.Progress(fmt.Sprintf("Rotating credentials stored for profile '%s' using a session from profile '%s' (takes 10-20 seconds)", r.keyName, r.target.ProfileName))
	}
}

// readOld reads the key to replace.
func (r *rotation) readOld() error {
	var err error
	if r.old, r.oldStoredAt, err = r.store.StoredKey(r.keyName); err != nil {
		return err
	}
	if r.old.SessionToken != "" {
		return fmt.Errorf("the credentials stored for profile '%s' are temporary (they have a session token); rotate replaces long-term access keys only", r.keyName)
	}
	r.o.Logf("rotating access key %s stored for profile %s", MaskKeyID(r.old.AccessKeyID), r.keyName)
	return nil
}

// oldKey describes the old key for messages.
func (r *rotation) oldKey() string { return MaskKeyID(r.old.AccessKeyID) }

// newKeyID describes the new key for messages.
func (r *rotation) newKeyID() string { return MaskKeyID(r.newKey.AccessKeyID) }

// storeNew saves the new key under the key name. If the keyring fails, it
// makes sure the old key is what stays stored.
func (r *rotation) storeNew() error {
	err := r.store.SetCredentials(r.keyName, aws.Credentials{AccessKeyID: r.newKey.AccessKeyID, SecretAccessKey: r.newKey.SecretAccessKey})
	if err == nil {
		return nil
	}
	cur, gerr := r.store.Credentials(r.keyName)
	if gerr == nil && cur.AccessKeyID == r.newKey.AccessKeyID && cur.SecretAccessKey == r.newKey.SecretAccessKey {
		r.o.Report.Note(fmt.Sprintf("the keyring reported an error (%v) but holds the new key", err))
		return nil
	}
	if gerr != nil || cur.AccessKeyID != r.old.AccessKeyID {
		_ = r.store.SetCredentialsStoredAt(r.keyName, r.old, r.oldStoredAt) // put the old key back, best effort
	}
	return fmt.Errorf("storing the new access key %s under profile '%s': %v", r.newKeyID(), r.keyName, err)
}

// purge deletes the cached sessions of every profile of the chain: they
// were obtained with the old key. Failing here only warns: sessions are a
// cache, and expire.
func (r *rotation) purge() {
	for _, p := range r.target.Chain() {
		n, err := r.store.RemoveSessions(p.ProfileName)
		if n > 0 {
			r.o.Report.Progress(fmt.Sprintf("Deleted %d sessions for %s", n, p.ProfileName))
		}
		if err != nil {
			r.o.Report.Warning(fmt.Sprintf("could not delete the cached sessions of profile '%s' (%v); they stop working when the old key is deleted: run aws-vault clear %s",
				p.ProfileName, err, p.ProfileName))
		}
	}
}

// abandon deletes the new key after a failure, so that the old key stays
// the only one, and says where each key is.
func (r *rotation) abandon(ctx context.Context, cause error) error {
	ctx, cancel := cleanupContext(ctx)
	defer cancel()
	oldState := fmt.Sprintf("the old key %s is still stored in profile '%s' and active", r.oldKey(), r.keyName)
	if cur, err := r.store.Credentials(r.keyName); err != nil || cur.AccessKeyID != r.old.AccessKeyID {
		oldState = fmt.Sprintf("the old key %s is still active at AWS but the keyring could not be checked; check with: aws-vault list --credentials", r.oldKey())
	}
	_, err := r.iamClient.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: aws.String(r.newKey.AccessKeyID), UserName: r.userNamePtr()})
	if err == nil {
		return fmt.Errorf("%w; the new key %s was deleted again, and %s", cause, r.newKeyID(), oldState)
	}
	return &HintedError{
		Err: fmt.Errorf("%w; deleting the new key %s failed too (%v), so it is active at AWS but stored nowhere; %s",
			cause, r.newKeyID(), err, oldState),
		Hint: "delete the unused key: " + r.deleteCommand(r.newKey.AccessKeyID),
	}
}

// deleteCommand is the AWS CLI command that deletes key id, naming the key
// by its last four characters only.
func (r *rotation) deleteCommand(id string) string {
	user := ""
	if r.user != "" {
		user = " --user-name " + r.user
	}
	return fmt.Sprintf("aws iam delete-access-key%s --access-key-id <the id ending in %s> (aws iam list-access-keys%s shows the ids)",
		user, id[max(0, len(id)-4):], user)
}

func (r *rotation) userNamePtr() *string {
	if r.userName == "" {
		return nil
	}
	return aws.String(r.userName)
}

// cleanupContext lets clean-up calls run after the user interrupted, for a
// bounded time.
func cleanupContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
}
