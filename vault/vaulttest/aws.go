package vaulttest

import (
	"crypto/rand"
	"io"
	"net/http"
	"sync"
	"time"
)

// AWS is an emulated AWS world: accounts, IAM users and their keys, MFA
// devices, roles, issued temporary credentials, the request recording and
// the injected faults. It is an http.Handler (see [AWS.Handler]) and is safe
// for concurrent use.
type AWS struct {
	now      func() time.Time
	keyDelay time.Duration
	observer func(Request)

	randMu sync.Mutex
	rand   io.Reader

	mu        sync.Mutex
	users     map[string]*User
	keys      map[string]*AccessKey
	userKeys  map[string][]string // user name -> key ids, oldest first
	devices   map[string]*MFADevice
	roles     map[string]*Role
	creds     map[string]*Credentials
	credOrder []string          // issued ids, oldest first
	webTokens map[string]string // token -> subject
	usedCodes map[usedCode]bool
	requests  []Request
	faults    map[string]*faultState
	sso       ssoWorld // IAM Identity Center (sso_*.go)
}

// Option configures an [AWS] built by [New] or [Fixture].
type Option func(*AWS)

// WithClock makes now the emulator's clock. It drives credential expiry, TOTP
// codes, key propagation and the 5-minute SigV4 signing window. The default
// is time.Now.
func WithClock(now func() time.Time) Option {
	return func(a *AWS) { a.now = now }
}

// WithRandom makes r the source of every generated key, secret, token and
// request id. The default is crypto/rand; a seeded reader makes runs
// repeatable.
func WithRandom(r io.Reader) Option {
	return func(a *AWS) { a.rand = r }
}

// WithKeyPropagationDelay makes access keys created through the IAM
// CreateAccessKey action usable only once d has passed on the emulator's
// clock (see [WithClock]); until then they are refused with
// InvalidClientTokenId, as freshly created AWS keys sometimes are. Keys added
// with [AWS.AddAccessKey] are usable at once.
func WithKeyPropagationDelay(d time.Duration) Option {
	return func(a *AWS) { a.keyDelay = d }
}

// WithObserver calls fn with each request once it has been answered and
// recorded. fn runs on the serving goroutine, outside the emulator's lock.
func WithObserver(fn func(Request)) Option {
	return func(a *AWS) { a.observer = fn }
}

// New returns an empty world configured by opts.
func New(opts ...Option) *AWS {
	a := &AWS{
		now:       time.Now,
		rand:      rand.Reader,
		users:     map[string]*User{},
		keys:      map[string]*AccessKey{},
		userKeys:  map[string][]string{},
		devices:   map[string]*MFADevice{},
		roles:     map[string]*Role{},
		creds:     map[string]*Credentials{},
		webTokens: map[string]string{},
		usedCodes: map[usedCode]bool{},
		faults:    map[string]*faultState{},
		sso:       newSSOWorld(),
	}
	for _, opt := range opts {
		opt(a)
	}
	return a
}

// Now returns the emulator's current time.
func (a *AWS) Now() time.Time {
	return a.now()
}

// Handler returns the emulator as an http.Handler serving STS, IAM, the
// sign-in federation endpoint, SSO OIDC and the SSO portal.
func (a *AWS) Handler() http.Handler {
	return a
}

// Clock is a settable clock for [WithClock], safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock {
	return &Clock{t: t}
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}
