package config

import (
	"time"
)

// Default durations, as in aws-vault.
const (
	DefaultSessionDuration        = time.Hour
	DefaultChainedSessionDuration = 8 * time.Hour
	DefaultAssumeRoleDuration     = time.Hour
	DefaultFederationDuration     = time.Hour
	DefaultExpiryWindow           = 5 * time.Minute
)

// Profile is a profile fully resolved from the command line, the
// environment, its section, its include_profile chain and [default].
type Profile struct {
	// ProfileName is the name the profile was asked for by.
	ProfileName string
	// HasSection reports whether the config file has a section for it.
	HasSection bool
	// ConfigPath is the config file it was resolved from, for messages.
	ConfigPath string

	// SourceProfileName is the resolved source_profile ("" when none).
	SourceProfileName string
	// SourceProfile is the resolved source profile, nil when none.
	SourceProfile *Profile
	// ChainedFromProfile is the profile that uses this one as its source.
	ChainedFromProfile *Profile

	Region               string
	STSRegionalEndpoints string
	EndpointURL          string

	MFASerial  string
	MFAToken   string
	MFAProcess string

	RoleARN               string
	ExternalID            string
	RoleSessionName       string
	SessionTags           map[string]string
	TransitiveSessionTags []string
	SourceIdentity        string

	AssumeRoleDuration                time.Duration
	NonChainedGetSessionTokenDuration time.Duration
	ChainedGetSessionTokenDuration    time.Duration
	GetFederationTokenDuration        time.Duration

	CredentialProcess       string
	WebIdentityTokenFile    string
	WebIdentityTokenProcess string

	SSOSession string
	// SSOSessionFound reports whether the [sso-session] section SSOSession
	// names exists.
	SSOSessionFound       bool
	SSOStartURL           string
	SSORegion             string
	SSOAccountID          string
	SSORoleName           string
	SSORegistrationScopes string
}

// HasRole reports whether the profile assumes a role.
func (c *Profile) HasRole() bool { return c.RoleARN != "" }

// HasSourceProfile reports whether the profile takes credentials from a
// source_profile.
func (c *Profile) HasSourceProfile() bool { return c.SourceProfile != nil }

// HasMFASerial reports whether an MFA device is configured.
func (c *Profile) HasMFASerial() bool { return c.MFASerial != "" }

// HasSSOStartURL reports whether the profile gets credentials through SSO.
func (c *Profile) HasSSOStartURL() bool { return c.SSOStartURL != "" }

// HasWebIdentity reports whether the profile uses a web identity token.
func (c *Profile) HasWebIdentity() bool {
	return c.WebIdentityTokenFile != "" || c.WebIdentityTokenProcess != ""
}

// HasCredentialProcess reports whether the profile runs credential_process.
func (c *Profile) HasCredentialProcess() bool { return c.CredentialProcess != "" }

// GetSessionTokenDuration is the GetSessionToken duration for this profile:
// the chained one when the profile is another's source.
func (c *Profile) GetSessionTokenDuration() time.Duration {
	if c.ChainedFromProfile != nil {
		return c.ChainedGetSessionTokenDuration
	}
	return c.NonChainedGetSessionTokenDuration
}

// Chain returns the profile and its sources, target first.
func (c *Profile) Chain() []*Profile {
	var out []*Profile
	for p := c; p != nil; p = p.SourceProfile {
		out = append(out, p)
	}
	return out
}

// SetDefaults fills the durations left unset with aws-vault's defaults.
func (c *Profile) SetDefaults() {
	setDuration(&c.AssumeRoleDuration, DefaultAssumeRoleDuration)
	setDuration(&c.NonChainedGetSessionTokenDuration, DefaultSessionDuration)
	setDuration(&c.ChainedGetSessionTokenDuration, DefaultChainedSessionDuration)
	setDuration(&c.GetFederationTokenDuration, DefaultFederationDuration)
}

func setDuration(d *time.Duration, v time.Duration) {
	if *d == 0 {
		*d = v
	}
}

func setString(s *string, v string) {
	if *s == "" {
		*s = v
	}
}
