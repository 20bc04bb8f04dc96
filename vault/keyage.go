package vault

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Day is 24 hours, the unit of key ages ("90d").
const Day = 24 * time.Hour

// KeyMaxAgeVar is the age past which doctor warns about a stored key.
const KeyMaxAgeVar = "AWS_VAULT_KEY_MAX_AGE"

// DefaultKeyMaxAge is KeyMaxAgeVar's default: AWS's own advice is to rotate
// access keys every 90 days.
const DefaultKeyMaxAge = 90 * Day

// ParseAge reads a positive age: a number of days ("90d") or a Go
// duration ("2160h", "1h30m"), which has no unit of days.
func ParseAge(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.ParseUint(days, 10, 16)
		if err != nil || n == 0 {
			return 0, fmt.Errorf("%q is not an age such as 90d or 2160h", s)
		}
		return time.Duration(n) * Day, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not an age such as 90d or 2160h", s)
	}
	return d, nil
}

// KeyMaxAge reads AWS_VAULT_KEY_MAX_AGE (DefaultKeyMaxAge when unset).
func KeyMaxAge(getenv func(string) string) (time.Duration, error) {
	v := getenv(KeyMaxAgeVar)
	if v == "" {
		return DefaultKeyMaxAge, nil
	}
	d, err := ParseAge(v)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", KeyMaxAgeVar, err)
	}
	return d, nil
}

// FormatAge says an age in whole days ("120 days", "1 day", "less than
// a day").
func FormatAge(d time.Duration) string {
	switch n := int64(d / Day); n {
	case 0:
		return "less than a day"
	case 1:
		return "1 day"
	default:
		return fmt.Sprintf("%d days", n)
	}
}

// KeyAge is the age of one stored key.
type KeyAge struct {
	Profile string
	// KeyID is the key's id as aws-vault shows it (MaskKeyID).
	KeyID string
	// StoredAt is what the age counts from; zero when unknown (an item
	// aws-vault v7 wrote).
	StoredAt time.Time
	// Err says why the item could not be read.
	Err error
}

// Age is the key's age at now; 0 when unknown.
func (k KeyAge) Age(now time.Time) time.Duration {
	if k.StoredAt.IsZero() {
		return 0
	}
	return now.Sub(k.StoredAt)
}

// KeyAges reads the age of every stored key, one profile after another.
func KeyAges(store *Store) ([]KeyAge, error) {
	profiles, err := store.CredentialProfiles()
	if err != nil {
		return nil, fmt.Errorf("listing keyring items: %w", err)
	}
	out := make([]KeyAge, 0, len(profiles))
	for _, p := range profiles {
		creds, at, err := store.StoredKey(p)
		k := KeyAge{Profile: p, StoredAt: at, Err: err}
		if err == nil {
			k.KeyID = MaskKeyID(creds.AccessKeyID)
		}
		out = append(out, k)
	}
	return out, nil
}

// OldKeyWarnings is doctor's key-age check: one line for each stored key
// older than maxAge (AWS_VAULT_KEY_MAX_AGE) at now, and for each whose
// age is unknown or that cannot be read.
func OldKeyWarnings(ages []KeyAge, now time.Time, maxAge time.Duration) []string {
	var out []string
	for _, k := range ages {
		switch {
		case k.Err != nil:
			out = append(out, fmt.Sprintf("profile '%s': cannot tell the age of its key: %v", k.Profile, k.Err))
		case k.StoredAt.IsZero():
			out = append(out, fmt.Sprintf("profile '%s': the age of access key %s is not recorded (its item has no date, e.g. aws-vault v7 wrote it); "+
				"aws-vault rotate --older-than %s asks IAM and records it", k.Profile, k.KeyID, ageArg(maxAge)))
		case k.Age(now) > maxAge:
			out = append(out, fmt.Sprintf("profile '%s': access key %s is %s old, older than %s (%s): rotate it with aws-vault rotate %s",
				k.Profile, k.KeyID, FormatAge(k.Age(now)), FormatAge(maxAge), KeyMaxAgeVar, k.Profile))
		}
	}
	return out
}

// ageArg writes an age as ParseAge reads it: in days when whole.
func ageArg(d time.Duration) string {
	if d%Day == 0 {
		return fmt.Sprintf("%dd", d/Day)
	}
	return d.String()
}
