package vault

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsvault/aws-vault/vault/config"
)

// cachedProvider serves a step of the chain from the session cache, or
// fetches it (under the cross-process lock) and caches the result.
type cachedProvider struct {
	b           *builder
	p           *config.Profile
	key         SessionKey
	fingerprint string
	inner       aws.CredentialsProvider
	// lock takes the cross-process lock for fetching it; nil for none.
	lock func(ctx context.Context) (unlock func(), err error)
}

// cached wraps inner in the session cache under (typ, p, serial), unless
// caching is disabled.
func (b *builder) cached(p *config.Profile, typ, serial, fingerprint string, inner aws.CredentialsProvider) aws.CredentialsProvider {
	if b.chain.opts.DisableCache {
		return inner
	}
	key := SessionKey{Type: typ, ProfileName: p.ProfileName, MFASerial: serial}
	b.planCache(key)
	c := &cachedProvider{b: b, p: p, key: key, fingerprint: fingerprint, inner: inner}
	if lock := b.chain.opts.Lock; lock != nil {
		c.lock = func(ctx context.Context) (func(), error) { return lock(ctx, key.prefix(), p.ProfileName) }
	}
	return c
}

func (c *cachedProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	if creds, ok := c.lookup(c.b.keys); ok {
		return creds, nil
	}
	if c.lock != nil {
		unlock, err := c.lock(ctx)
		if err != nil {
			return aws.Credentials{}, err
		}
		defer unlock()
		// Another process may have fetched it while we waited.
		if keys, err := c.b.chain.opts.Keyring.Keys(); err == nil {
			if creds, ok := c.lookup(keys); ok {
				return creds, nil
			}
		}
	}
	c.b.chain.opts.Logf("profile %s: cache miss for %s", c.p.ProfileName, c.key.prefix())
	creds, err := c.inner.Retrieve(ctx)
	if err != nil || !creds.CanExpire {
		return creds, err
	}
	if creds.SessionToken == "" {
		// Only sessions are cached: a cached item without a token is
		// refused on reading (credential_process may print such output).
		c.b.chain.opts.Logf("profile %s: not caching credentials without a session token", c.p.ProfileName)
		return creds, nil
	}
	if err := c.b.chain.store.StoreSession(c.key, creds, c.fingerprint); err != nil {
		c.b.chain.opts.Logf("profile %s: could not cache session: %v", c.p.ProfileName, err)
	}
	return creds, nil
}

// lookup serves a cached session that lasts long enough and was obtained
// with the same settings.
func (c *cachedProvider) lookup(keys []string) (aws.Credentials, bool) {
	s := c.b.chain.store.lookupSessionIn(keys, c.key, c.window())
	if s == nil {
		return aws.Credentials{}, false
	}
	// aws-vault v7's items carry no fingerprint; they are keyed by MFA
	// serial, which pins them well enough to reuse. Our role items without
	// MFA must match the settings they were obtained with.
	if s.Fingerprint != c.fingerprint && (s.Fingerprint != "" || c.key.MFASerial == "") {
		c.b.chain.opts.Logf("profile %s: cached %s was obtained with other settings; not using it", c.p.ProfileName, c.key.Type)
		return aws.Credentials{}, false
	}
	c.b.chain.opts.Logf("profile %s: using cached %s (expires %s)", c.p.ProfileName, s.Key, s.Credentials.Expires.UTC().Format("2006-01-02T15:04:05Z"))
	c.b.cacheHits = append(c.b.cacheHits, s.Key)
	c.b.record(cachedStep(c.p, c.key))
	return s.Credentials, true
}

// window is how long a cached session must still be valid to be served:
// AWS_MIN_TTL, whatever --duration asks, as in aws-vault v7. --duration
// sets the length of the sessions we create; it is no reason to throw away
// a valid one (a credential_process with --duration would otherwise need a
// new MFA code every few minutes).
func (c *cachedProvider) window() time.Duration {
	return c.b.chain.opts.ExpiryWindow
}

// roleFingerprint identifies the settings a role session is obtained with;
// a cached role session is not served once they change. The duration is
// left out, as from aws-vault's cache keys.
func roleFingerprint(p *config.Profile) string {
	data, _ := json.Marshal(struct {
		RoleARN, ExternalID, SessionName, SourceIdentity, Region, Source string
		Tags                                                             map[string]string
		Transitive                                                       []string
	}{p.RoleARN, p.ExternalID, p.RoleSessionName, p.SourceIdentity, p.Region, p.SourceProfileName,
		p.SessionTags, p.TransitiveSessionTags})
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:8])
}

// fingerprint is a short digest of parts.
func fingerprint(parts ...string) string {
	data, _ := json.Marshal(parts)
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:8])
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
