package config

import (
	"fmt"
	"time"
)

// Limits AWS puts on the duration of temporary credentials.
const (
	MinDuration = 15 * time.Minute
	MaxDuration = 36 * time.Hour
)

// ValidateDuration checks a --duration value before any AWS call.
func ValidateDuration(d time.Duration) error {
	switch {
	case d == 0:
		return nil
	case d < MinDuration:
		return fmt.Errorf("--duration %s is too short: AWS issues credentials for at least 15 minutes (15m)", d)
	case d > MaxDuration:
		return fmt.Errorf("--duration %s is too long: AWS issues credentials for at most 36 hours (36h)", d)
	}
	return nil
}

// EnvDuration reads value, the value of the environment variable name, as
// a positive Go duration; "" gives def. The error names the variable and
// shows example, a good value. Every duration variable of aws-vault
// (AWS_VAULT_AWS_TIMEOUT, AWS_VAULT_LOCK_TIMEOUT, AWS_VAULT_PROCESS_TIMEOUT,
// the *_TTL variables) is read through it; AWS_MIN_TTL is not (see
// ExpiryWindowFromEnv).
func EnvDuration(name, value string, def time.Duration, example string) (time.Duration, error) {
	if value == "" {
		return def, nil
	}
	d, err := time.ParseDuration(value)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s: %q is not a positive duration such as %s", name, value, example)
	}
	return d, nil
}

// ExpiryWindowFromEnv parses AWS_MIN_TTL; an unset or invalid value gives
// the default 5 minutes, as in aws-vault.
func ExpiryWindowFromEnv(v string) time.Duration {
	if d, err := time.ParseDuration(v); err == nil && d > 0 {
		return d
	}
	return DefaultExpiryWindow
}
