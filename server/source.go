package server

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Source serves one set of credentials from memory and fetches new ones
// from its provider when they come within the expiry window (AWS_MIN_TTL)
// of expiring, never earlier. Concurrent requests during a fetch share it:
// the provider is called once. Retrieve returns the credentials with their
// real expiry, which is what the servers tell their clients.
//
// It is built on the SDK's aws.CredentialsCache (single-flight fetches,
// refresh before expiry). That cache moves a credential's Expires earlier
// by its ExpiryWindow and decides on the wall clock; Source undoes the move
// when it answers.
type Source struct {
	cache *aws.CredentialsCache
	up    *upstream
}

// NewSource serves p's credentials, fetching new ones window before they
// expire (the window is AWS_MIN_TTL, default 5 minutes). Nothing is fetched
// until the first Retrieve: call it once to fetch up front.
func NewSource(p aws.CredentialsProvider, window time.Duration) *Source {
	up := &upstream{p: p}
	cache := aws.NewCredentialsCache(up, func(o *aws.CredentialsCacheOptions) {
		o.ExpiryWindow = window
		// No jitter: the refresh point is exactly window before expiry.
		o.ExpiryWindowJitterFrac = 0
	})
	return &Source{cache: cache, up: up}
}

// LogRefreshFailures sends logf a line for each failed fetch that left the
// current credentials served (see HandleFailToRefresh). Call it before the
// first Retrieve.
func (s *Source) LogRefreshFailures(logf func(format string, args ...any)) {
	s.up.logf = logf
}

// Retrieve returns the current credentials, fetching them first when there
// are none yet or they are within the window of expiring. A failed fetch
// with no unexpired credentials in hand is returned as an error; the next
// Retrieve tries again.
func (s *Source) Retrieve(ctx context.Context) (aws.Credentials, error) {
	c, err := s.cache.Retrieve(ctx)
	if err != nil {
		return aws.Credentials{}, err
	}
	if c.CanExpire {
		c.Expires = s.up.realExpiry(c)
	}
	return c, nil
}

// upstream is the provider as the cache sees it: it remembers the real
// expiry of what it fetched and places the refresh point.
type upstream struct {
	p    aws.CredentialsProvider
	logf func(format string, args ...any)
	// recent holds the last two credentials fetched, newest first, with
	// their real expiry: a request that read the cache just before a
	// refresh finished still finds its own.
	recent atomic.Pointer[[2]aws.Credentials]
}

// Retrieve fetches from the provider. The cache calls it one at a time.
func (u *upstream) Retrieve(ctx context.Context) (aws.Credentials, error) {
	c, err := u.p.Retrieve(ctx)
	if err != nil {
		return aws.Credentials{}, err
	}
	var next [2]aws.Credentials
	next[0] = c
	if prev := u.recent.Load(); prev != nil {
		next[1] = prev[0]
	}
	u.recent.Store(&next)
	return c, nil
}

// AdjustExpiresBy places the refresh point for the cache: by (a negative
// duration, the window) before expiry, as the cache asks. Credentials
// that arrive already inside the window (a one-hour role with
// AWS_MIN_TTL=1h) cannot meet it; they are served for half their
// remaining life instead of being fetched again on every request.
func (u *upstream) AdjustExpiresBy(c aws.Credentials, by time.Duration) (aws.Credentials, error) {
	if !c.CanExpire {
		return c, nil
	}
	now := time.Now()
	refresh := c.Expires.Add(by)
	if !refresh.After(now) {
		refresh = now.Add(c.Expires.Sub(now) / 2)
	}
	c.Expires = refresh
	return c, nil
}

// HandleFailToRefresh is the cache's answer when a fetch fails: while the
// credentials in hand have not expired, they are served on (aws-vault
// v7.2.0 fetched only at expiry, so a refresh that fails inside the window,
// STS briefly unreachable or an MFA code nobody is there to give, must not
// turn valid credentials into errors), and AdjustExpiresBy places the next
// try at half their remaining life. With none, or expired ones, the fetch
// error is the answer.
func (u *upstream) HandleFailToRefresh(_ context.Context, prev aws.Credentials, err error) (aws.Credentials, error) {
	if !prev.CanExpire || prev.AccessKeyID == "" {
		return aws.Credentials{}, err
	}
	prev.Expires = u.realExpiry(prev)
	if !prev.Expires.After(time.Now()) {
		return aws.Credentials{}, err
	}
	if u.logf != nil {
		u.logf("fetching new credentials failed; serving the current ones, valid until %s: %v", formatTime(prev.Expires), err)
	}
	return prev, nil
}

// realExpiry is the expiry upstream fetched c with. Credentials it does not
// know (impossible while the cache calls only upstream) keep the earlier,
// adjusted time.
func (u *upstream) realExpiry(c aws.Credentials) time.Time {
	if recent := u.recent.Load(); recent != nil {
		for _, r := range recent {
			if r.AccessKeyID == c.AccessKeyID && r.SessionToken == c.SessionToken && r.SecretAccessKey == c.SecretAccessKey {
				return r.Expires
			}
		}
	}
	return c.Expires
}
