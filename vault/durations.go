package vault

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

// ExpiryWindowFromEnv parses AWS_MIN_TTL; an unset or invalid value gives
// the default 5 minutes, as in aws-vault.
func ExpiryWindowFromEnv(v string) time.Duration {
	if d, err := time.ParseDuration(v); err == nil && d > 0 {
		return d
	}
	return DefaultExpiryWindow
}
