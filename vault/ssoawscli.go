package vault

import (
	"crypto/sha1" //nolint:gosec // the AWS CLI names its cache files by SHA-1
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"path/filepath"
	"time"

	"github.com/awsvault/aws-vault/internal/regularfile"
)

// maxAWSCLICacheFile caps what is read of an AWS CLI cache file.
const maxAWSCLICacheFile = 1 << 20

// awsCLICacheFile is the part of the AWS CLI's SSO token cache file
// (~/.aws/sso/cache/<sha1>.json, written by aws sso login) we use.
type awsCLICacheFile struct {
	StartURL    string `json:"startUrl"`
	Region      string `json:"region"`
	AccessToken string `json:"accessToken"`
	ExpiresAt   string `json:"expiresAt"`
}

// awsCLIToken returns the access token the AWS CLI cached for the
// profile's sign-in, and the file's name, when it is for the same start URL
// and region and still valid at now; else "". The file is only read:
// never written, never refreshed with its refresh token (that would rotate
// the token under the AWS CLI), never copied into the keyring. --debug
// names the file and says why one is passed over, never what it holds.
func (s *ssoProvider) awsCLIToken(now time.Time) (string, string) {
	dir := s.b.chain.opts.SSO.AWSCLICache
	if dir == "" {
		return "", ""
	}
	path := filepath.Join(dir, awsCLICacheName(s.sp))
	f, err := s.readAWSCLICache(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		s.logf("no AWS CLI SSO token in %s", path)
		return "", ""
	case err != nil:
		s.logf("ignoring the AWS CLI SSO cache file %s: %v", path, err)
		return "", ""
	}
	expires, ok := parseAWSCLITime(f.ExpiresAt)
	switch {
	case f.StartURL != s.sp.startURL || f.Region != s.sp.region:
		s.logf("ignoring the AWS CLI SSO cache file %s: it is for another start URL or region", path)
	case f.AccessToken == "" || !ok:
		s.logf("ignoring the AWS CLI SSO cache file %s: it has no access token or no valid expiresAt", path)
	case !expires.After(now):
		s.logf("ignoring the AWS CLI SSO cache file %s: its token expired at %s", path, rfc3339(expires))
	default:
		s.logf("using the AWS CLI's SSO token from %s (expires %s); it stays the AWS CLI's", path, rfc3339(expires))
		return f.AccessToken, path
	}
	return "", ""
}

// readAWSCLICache reads and decodes a cache file; a file that is not JSON
// is an error that does not quote it.
func (s *ssoProvider) readAWSCLICache(path string) (*awsCLICacheFile, error) {
	file, err := regularfile.Open(path, false)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, maxAWSCLICacheFile+1))
	if err != nil {
		return nil, err
	}
	var f awsCLICacheFile
	if len(data) > maxAWSCLICacheFile || json.Unmarshal(data, &f) != nil {
		return nil, errors.New("it is not an AWS CLI token cache file (not JSON, or too large)")
	}
	return &f, nil
}

// awsCLICacheName is the AWS CLI's name for the cache file of a sign-in:
// the SHA-1 of the sso-session's name, or of the start URL for a legacy
// profile.
func awsCLICacheName(sp *ssoProfile) string {
	id := sp.session
	if id == "" {
		id = sp.startURL
	}
	sum := sha1.Sum([]byte(id)) //nolint:gosec // a name, not a security measure
	return hex.EncodeToString(sum[:]) + ".json"
}

// parseAWSCLITime reads expiresAt: RFC 3339 (2024-01-02T03:04:05Z), or the
// "UTC" suffix early AWS CLI v2 releases wrote.
func parseAWSCLITime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05UTC"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
