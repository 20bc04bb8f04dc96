package server

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"time"
)

// IMDSv2 session tokens, as EC2 issues them: PUT /latest/api/token with
// X-aws-ec2-metadata-token-ttl-seconds (1 to 21600) returns a token that
// later requests carry as X-aws-ec2-metadata-token until it expires.
const (
	imdsTokenPath     = "/latest/api/token"
	imdsTokenHeader   = "X-Aws-Ec2-Metadata-Token"
	imdsTTLHeader     = "X-Aws-Ec2-Metadata-Token-Ttl-Seconds"
	imdsMaxTTLSeconds = 21600
)

// imdsTokens issues and checks session tokens without keeping them: a
// token is its expiry and an HMAC of it under a key made at start, so
// nothing grows however many are asked for.
type imdsTokens struct {
	key []byte
	now func() time.Time
}

func newIMDSTokens(r io.Reader, now func() time.Time) (*imdsTokens, error) {
	if r == nil {
		r = rand.Reader
	}
	key := make([]byte, 32)
	if _, err := io.ReadFull(r, key); err != nil {
		return nil, fmt.Errorf("generating the IMDSv2 token key: %w", err)
	}
	return &imdsTokens{key: key, now: now}, nil
}

// issue returns a token valid for ttl from now.
func (t *imdsTokens) issue(ttl time.Duration) string {
	b := binary.BigEndian.AppendUint64(make([]byte, 0, 8+sha256.Size), uint64(t.now().Add(ttl).UnixNano()))
	return base64.RawURLEncoding.EncodeToString(t.sign(b))
}

// valid reports whether tok was issued here and has not expired.
func (t *imdsTokens) valid(tok string) bool {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(b) != 8+sha256.Size {
		return false
	}
	if !hmac.Equal(t.sign(b[:8:8])[8:], b[8:]) {
		return false
	}
	return t.now().UnixNano() < int64(binary.BigEndian.Uint64(b[:8]))
}

// sign appends the HMAC of expiry to it.
func (t *imdsTokens) sign(expiry []byte) []byte {
	m := hmac.New(sha256.New, t.key)
	m.Write(expiry)
	return m.Sum(expiry)
}

// parseTTL parses a TTL header: decimal digits only, 1 to 21600 seconds.
func parseTTL(v string) (time.Duration, bool) {
	if v == "" || len(v) > 5 {
		return 0, false
	}
	n := 0
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	if n < 1 || n > imdsMaxTTLSeconds {
		return 0, false
	}
	return time.Duration(n) * time.Second, true
}
