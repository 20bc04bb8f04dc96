package vault

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsvault/aws-vault/vault/config"
)

// RotateOlderOptions are the inputs of a rotation by key age.
type RotateOlderOptions struct {
	RotateOptions
	// OlderThan is the age past which a stored key is rotated.
	OlderThan time.Duration
	// DryRun says what would be rotated and changes nothing. It still asks
	// IAM the age of keys stored without one (which may take an MFA code).
	DryRun bool
	// Profiles are the profiles whose keys are candidates (each key found
	// as Rotate finds it); none means every stored key.
	Profiles []string
	// Resolve loads a profile from the config file.
	Resolve func(name string) (*config.Profile, error)
}

// KeyOutcome is what RotateOlder did with one key.
type KeyOutcome int

// The outcomes of RotateOlder for a key.
const (
	KeyKept        KeyOutcome = iota // younger than OlderThan
	KeyRotated                       // replaced by a new key
	KeyWouldRotate                   // old, but DryRun
	KeyFailed                        // see KeyRotation.Err
)

// KeyRotation is the summary of one key of a RotateOlder.
type KeyRotation struct {
	// Profile is the profile the key is stored under.
	Profile string
	Outcome KeyOutcome
	// OldKeyID and NewKeyID are the keys as aws-vault shows them
	// (MaskKeyID); NewKeyID is set once a new key is stored.
	OldKeyID, NewKeyID string
	// Since is what the age counts from: StoredAt as recorded, or the
	// key's CreateDate from IAM (FromIAM) for a key stored without one.
	Since   time.Time
	FromIAM bool
	Err     error
}

// RotateOlder rotates, one after another, every stored key (or those of
// Profiles) older than OlderThan, each as Rotate does it, with its
// guarantees: a failure on one key leaves it with one working key and the
// others are still rotated. A key stored without a date (by aws-vault v7)
// is dated by IAM (ListAccessKeys' CreateDate, the call Rotate makes
// anyway), and the date recorded in its item unless DryRun. It returns one
// summary per key, in profile order; the error lists the keys that failed.
func RotateOlder(ctx context.Context, o RotateOlderOptions) ([]KeyRotation, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Report == nil {
		o.Report = quiet{}
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	names, err := o.candidates()
	if err != nil {
		return nil, err
	}
	var out []KeyRotation
	failed := &RotateOlderError{OlderThan: o.OlderThan}
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		k := o.rotateIfOld(ctx, name)
		out = append(out, k)
		if k.Outcome == KeyFailed {
			failed.Profiles = append(failed.Profiles, k.Profile)
			failed.Errs = append(failed.Errs, k.Err)
		}
	}
	if len(failed.Profiles) > 0 {
		failed.Of = len(out)
		return out, failed
	}
	return out, nil
}

// RotateOlderError says which keys of a RotateOlder failed; it unwraps to
// their errors (and so to their hints).
type RotateOlderError struct {
	OlderThan time.Duration
	Profiles  []string
	Errs      []error
	Of        int // keys looked at
}

func (e *RotateOlderError) Error() string {
	return fmt.Sprintf("rotating the keys older than %s: %d of %d failed (%s); each still has one working key stored",
		FormatAge(e.OlderThan), len(e.Profiles), e.Of, quoteList(e.Profiles))
}

// Unwrap returns the failures, one per key.
func (e *RotateOlderError) Unwrap() []error { return e.Errs }

// candidates are the stored keys to look at, by name, sorted, each once.
func (o *RotateOlderOptions) candidates() ([]string, error) {
	store := &Store{Keyring: o.Keyring, Now: o.Now}
	if len(o.Profiles) == 0 {
		names, err := store.CredentialProfiles()
		if err != nil {
			return nil, fmt.Errorf("listing keyring items: %w", err)
		}
		slices.Sort(names)
		return names, nil
	}
	var names []string
	for _, p := range o.Profiles {
		target, err := o.Resolve(p)
		if err != nil {
			return nil, err
		}
		name, _, err := RotateKeyName(store, target)
		if err != nil {
			return nil, err
		}
		names = append(names, name)
	}
	slices.Sort(names)
	return slices.Compact(names), nil
}

// rotateIfOld looks at the key stored under name and rotates it if old.
func (o *RotateOlderOptions) rotateIfOld(ctx context.Context, name string) KeyRotation {
	k := KeyRotation{Profile: name}
	fail := func(err error) KeyRotation {
		k.Outcome, k.Err = KeyFailed, err
		return k
	}
	target, err := o.Resolve(name)
	if err != nil {
		return fail(err)
	}
	r, err := newRotation(o.RotateOptions, target)
	if err != nil {
		return fail(err)
	}
	if err := r.readOld(); err != nil {
		return fail(err)
	}
	k.OldKeyID, k.Since = MaskKeyID(r.old.AccessKeyID), r.oldStoredAt
	if !k.Since.IsZero() {
		return o.rotateDated(ctx, r, k, fail)
	}
	o.Report.Progress(fmt.Sprintf("Asking IAM when the key stored for profile '%s' (%s) was created", name, k.OldKeyID))
	if err := r.connect(ctx); err != nil {
		return fail(err)
	}
	if err := r.listKeys(ctx); err != nil {
		return fail(err)
	}
	created, err := r.oldCreateDate()
	if err != nil {
		return fail(err)
	}
	k.Since, k.FromIAM = created, true
	if !o.DryRun {
		if err := r.store.SetCredentialsStoredAt(name, r.old, created); err != nil {
			return fail(fmt.Errorf("recording the age of the key in the keyring: %w", err))
		}
	}
	switch {
	case !o.isOld(k.Since):
		return k
	case o.DryRun:
		k.Outcome = KeyWouldRotate
		return k
	}
	r.announce()
	return o.finish(ctx, r, k, fail)
}

// rotateDated handles a key whose date is recorded: no AWS call unless it
// is old.
func (o *RotateOlderOptions) rotateDated(ctx context.Context, r *rotation, k KeyRotation, fail func(error) KeyRotation) KeyRotation {
	switch {
	case !o.isOld(k.Since):
		return k
	case o.DryRun:
		k.Outcome = KeyWouldRotate
		return k
	}
	r.announce()
	if err := r.connect(ctx); err != nil {
		return fail(err)
	}
	if err := r.listKeys(ctx); err != nil {
		return fail(err)
	}
	return o.finish(ctx, r, k, fail)
}

// finish replaces the key, as Rotate does.
func (o *RotateOlderOptions) finish(ctx context.Context, r *rotation, k KeyRotation, fail func(error) KeyRotation) KeyRotation {
	err := r.replace(ctx)
	if r.newKey.AccessKeyID != "" {
		if cur, cerr := r.store.Credentials(r.keyName); cerr == nil && cur.AccessKeyID == r.newKey.AccessKeyID {
			k.NewKeyID = MaskKeyID(r.newKey.AccessKeyID)
		}
	}
	if err != nil {
		return fail(err)
	}
	k.Outcome = KeyRotated
	return k
}

func (o *RotateOlderOptions) isOld(since time.Time) bool {
	return o.Now().Sub(since) > o.OlderThan
}

// oldCreateDate is the old key's CreateDate as ListAccessKeys gave it.
func (r *rotation) oldCreateDate() (time.Time, error) {
	if !r.listed {
		return time.Time{}, fmt.Errorf("cannot tell the age of the key %s stored in profile '%s': IAM did not list the user's access keys; rotate it with aws-vault rotate %s",
			MaskKeyID(r.old.AccessKeyID), r.keyName, r.keyName)
	}
	for _, key := range r.keys {
		if aws.ToString(key.AccessKeyId) == r.old.AccessKeyID && key.CreateDate != nil {
			return key.CreateDate.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("IAM does not list the key %s stored in profile '%s' among the user's access keys; nothing changed",
		MaskKeyID(r.old.AccessKeyID), r.keyName)
}

// quoteList writes names as 'a', 'b'.
func quoteList(names []string) string {
	out := ""
	for i, n := range names {
		if i > 0 {
			out += ", "
		}
		out += "'" + n + "'"
	}
	return out
}
