package vaulttest

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"fmt"
	"io"
)

const (
	upperAlnum    = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	secretChars   = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	base32Chars   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	sessionTokLen = 300 // random bytes behind a session token
)

// randomBytes fills n bytes from the emulator's random source. A failing
// source is a broken test setup, so it panics.
func (a *AWS) randomBytes(n int) []byte {
	b := make([]byte, n)
	a.randMu.Lock()
	defer a.randMu.Unlock()
	if _, err := io.ReadFull(a.rand, b); err != nil {
		panic(fmt.Sprintf("vaulttest: random source: %v", err))
	}
	return b
}

// randomString returns n characters drawn uniformly from alphabet, whose
// length must divide 256 or be below it (rejection sampling keeps it fair).
func (a *AWS) randomString(n int, alphabet string) string {
	limit := 256 - 256%len(alphabet)
	out := make([]byte, 0, n)
	for len(out) < n {
		for _, b := range a.randomBytes(n) {
			if int(b) < limit && len(out) < n {
				out = append(out, alphabet[int(b)%len(alphabet)])
			}
		}
	}
	return string(out)
}

// newAccessKeyID returns prefix (AKIA or ASIA) and 16 upper-case alphanumerics.
func (a *AWS) newAccessKeyID(prefix string) string {
	return prefix + a.randomString(16, upperAlnum)
}

// newSecret returns a 40-character secret access key.
func (a *AWS) newSecret() string {
	return a.randomString(40, secretChars)
}

// newSessionToken returns a long random base64 session token.
func (a *AWS) newSessionToken() string {
	return base64.StdEncoding.EncodeToString(a.randomBytes(sessionTokLen))
}

// newTOTPSecret returns a random 32-character base32 TOTP secret.
func (a *AWS) newTOTPSecret() string {
	return a.randomString(32, base32Chars)
}

// newRequestID returns a random UUID (version 4) as AWS request ids are.
func (a *AWS) newRequestID() string {
	b := a.randomBytes(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// uniqueID derives a stable IAM unique id (prefix plus 17 characters, such
// as AIDA... for users and AROA... for roles) from an ARN, so fixture ids
// are the same on every run.
func uniqueID(prefix, arn string) string {
	sum := sha256.Sum256([]byte(arn))
	return prefix + base32.StdEncoding.EncodeToString(sum[:])[:17]
}
