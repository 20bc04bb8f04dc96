package vaulttest

import "time"

// SSOConsent is what the user does on the IAM Identity Center page a
// browser opens (the authorize URL or the device verification URL).
type SSOConsent int

// What the user does on the sign-in page.
const (
	// SSOConsentAllow signs in and allows access at once (the default): the
	// authorize page redirects to the client's redirect URI with a code,
	// the device page approves the user code.
	SSOConsentAllow SSOConsent = iota
	// SSOConsentDeny clicks Deny: the authorize page redirects with
	// error=access_denied, the device page denies the user code.
	SSOConsentDeny
	// SSOConsentIgnore leaves the page open and never answers.
	SSOConsentIgnore
)

// SSOSettings tunes the emulated IAM Identity Center. Zero durations take
// the defaults noted, which are AWS's where AWS documents one.
type SSOSettings struct {
	// ClientLifetime sets RegisterClient's clientSecretExpiresAt (90 days).
	// An expired registration answers InvalidClientException.
	ClientLifetime time.Duration
	// DeviceCodeLifetime is StartDeviceAuthorization's expiresIn (10 min).
	DeviceCodeLifetime time.Duration
	// PollInterval is StartDeviceAuthorization's interval, whole seconds
	// (1 s). Polling faster answers SlowDownException and adds 5 s to that
	// device code's interval (RFC 8628 §3.5).
	PollInterval time.Duration
	// AuthCodeLifetime is how long an authorization code may be exchanged
	// (5 min).
	AuthCodeLifetime time.Duration
	// AccessTokenLifetime is the life of access tokens issued with a
	// refresh token (1 h).
	AccessTokenLifetime time.Duration
	// SessionDuration is the sign-in session's life (8 h): access tokens
	// issued without a refresh token last this long, and refresh tokens
	// stop working when it ends.
	SessionDuration time.Duration
	// AutoApprove approves each device authorization as it starts, as the
	// instance's browser user, so no one needs to visit the page.
	AutoApprove bool
	// IgnorePollInterval never answers SlowDownException; useful with a
	// stopped clock, on which every poll is too fast.
	IgnorePollInterval bool
	// Consent is what the user does when a browser opens a sign-in page.
	Consent SSOConsent
	// BrowserUser is who the browser is signed in as, and who SSOApprove
	// approves as ("" is the instance's first user).
	BrowserUser string
}

// withDefaults fills in the zero durations.
func (s SSOSettings) withDefaults() SSOSettings {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&s.ClientLifetime, 90*24*time.Hour)
	def(&s.DeviceCodeLifetime, 10*time.Minute)
	def(&s.PollInterval, time.Second)
	def(&s.AuthCodeLifetime, 5*time.Minute)
	def(&s.AccessTokenLifetime, time.Hour)
	def(&s.SessionDuration, 8*time.Hour)
	s.PollInterval = s.PollInterval.Round(time.Second)
	if s.PollInterval < time.Second {
		s.PollInterval = time.Second
	}
	return s
}

// WithSSOSettings configures the emulated IAM Identity Center.
func WithSSOSettings(s SSOSettings) Option {
	return func(a *AWS) { a.sso.settings = s.withDefaults() }
}

// SetSSOSettings replaces the SSO settings; calls already answered keep
// what they got (a device code keeps its interval and expiry).
func (a *AWS) SetSSOSettings(s SSOSettings) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.sso.settings = s.withDefaults()
}

// SSOSettings returns the SSO settings in force, defaults filled in.
func (a *AWS) SSOSettings() SSOSettings {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.sso.settings
}
