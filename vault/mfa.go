package vault

import (
	"context"
	"errors"
)

// MFARequest says which code is needed: for which profile, device and, when
// the profile has one, which mfa_process to run.
type MFARequest struct {
	ProfileName string
	Serial      string
	Process     string
}

// MFATokenSource supplies one-time codes. It is asked only when an STS call
// actually needs a code (a cache miss), once per call.
type MFATokenSource interface {
	MFAToken(ctx context.Context, req MFARequest) (string, error)
}

// MFATokenFunc adapts a function to MFATokenSource.
type MFATokenFunc func(ctx context.Context, req MFARequest) (string, error)

// MFAToken calls f.
func (f MFATokenFunc) MFAToken(ctx context.Context, req MFARequest) (string, error) {
	return f(ctx, req)
}

// ErrNoMFASource is returned (wrapped) when a code is needed and nothing can
// supply it.
var ErrNoMFASource = errors.New("no way to get an MFA code")
