package server

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"io"
)

// tokenBytes is how much randomness a token carries: 30 bytes, 40
// characters of unpadded base64url, as aws-vault v7's ECS token.
const tokenBytes = 30

// NewToken returns a fresh secret for the ECS server's Authorization
// header and the proxy's stop request: 30 bytes from r (crypto/rand's
// reader when r is nil) as 40 characters of unpadded base64url.
func NewToken(r io.Reader) (string, error) {
	if r == nil {
		r = rand.Reader
	}
	b := make([]byte, tokenBytes)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("generating a token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// tokenEqual compares a presented secret with the expected one in constant
// time (for strings of the same length; the length is not secret).
func tokenEqual(got, want string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
