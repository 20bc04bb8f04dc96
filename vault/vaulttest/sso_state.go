package vaulttest

import (
	"crypto/subtle"
	"encoding/base64"
	"time"
)

// ssoWorld is the emulated IAM Identity Center, guarded by AWS.mu.
type ssoWorld struct {
	settings  SSOSettings
	instances map[string]*ssoInstance // by normalStartURL
	clients   map[string]*ssoClient   // by client id
	clientIDs []string                // oldest first
	devices   map[string]*ssoDevice   // by device code
	userCodes map[string]*ssoDevice   // by user code
	deviceLog []*ssoDevice            // oldest first
	codes     map[string]*ssoCode     // authorization codes
	access    map[string]*ssoToken    // by access token
	refresh   map[string]*ssoToken    // by refresh token
	tokens    []*ssoToken             // oldest first
	// started is closed, and replaced, whenever a device authorization
	// starts, to wake WaitSSOUserCode.
	started chan struct{}
}

// newSSOWorld returns an IAM Identity Center with no instance.
func newSSOWorld() ssoWorld {
	return ssoWorld{
		settings:  SSOSettings{}.withDefaults(),
		instances: map[string]*ssoInstance{},
		clients:   map[string]*ssoClient{},
		devices:   map[string]*ssoDevice{},
		userCodes: map[string]*ssoDevice{},
		codes:     map[string]*ssoCode{},
		access:    map[string]*ssoToken{},
		refresh:   map[string]*ssoToken{},
		started:   make(chan struct{}),
	}
}

// SSOClient is a client registration made by RegisterClient.
type SSOClient struct {
	ClientID     string
	ClientName   string
	ClientType   string
	Scopes       []string
	GrantTypes   []string // as registered; none means the device code grant
	RedirectURIs []string
	IssuerURL    string
	Region       string // of the oidc host it registered at ("" for an endpoint URL)
	Issued       time.Time
	Expiration   time.Time // clientSecretExpiresAt
}

// ssoClient is a registration and its secret.
type ssoClient struct {
	SSOClient
	secret string
}

// allows reports whether the registration may use grant: the registered
// grant types, or with none registered the device code grant, and the
// refresh grant when scopes were registered.
func (c *ssoClient) allows(grant string) bool {
	if len(c.GrantTypes) == 0 {
		return grant == grantDeviceCode || grant == grantRefreshToken && len(c.Scopes) > 0
	}
	for _, g := range c.GrantTypes {
		if g == grant {
			return true
		}
	}
	return false
}

// Device authorization states, as SSODeviceAuthorization.Status spells them.
const (
	DevicePending  = "pending"
	DeviceApproved = "approved"
	DeviceDenied   = "denied"
	DeviceRedeemed = "redeemed" // exchanged for a token
)

// ssoDevice is a device authorization.
type ssoDevice struct {
	deviceCode, userCode, clientID string
	instance                       *ssoInstance
	expires                        time.Time
	interval                       time.Duration
	lastPoll                       time.Time
	status                         string
	user                           string // who approved or denied
}

// ssoCode is an authorization code the authorize endpoint issued.
type ssoCode struct {
	clientID, redirectURI, challenge string
	scopes                           []string
	instance                         *ssoInstance
	user                             string
	expires                          time.Time
	used                             bool
	tokens                           []*ssoToken // issued from it, revoked on replay
}

// ssoToken is an access token and its refresh token ("" when none).
type ssoToken struct {
	access, refresh string
	clientID        string
	instance        *ssoInstance
	user            string
	scopes          []string
	grant           string
	issued, expires time.Time
	sessionEnd      time.Time // refresh tokens stop working here
	session         int       // the sign-in this token and its refreshes belong to
	revoked         bool      // the access token
	refreshRevoked  bool      // revoked, or rotated by a refresh
}

// liveAccess reports whether the access token is usable at now.
func (t *ssoToken) liveAccess(now time.Time) bool {
	return !t.revoked && now.Before(t.expires)
}

// liveRefresh reports whether the refresh token is usable at now.
func (t *ssoToken) liveRefresh(now time.Time) bool {
	return t.refresh != "" && !t.refreshRevoked && now.Before(t.sessionEnd)
}

// instanceLocked returns the instance at startURL.
func (a *AWS) instanceLocked(startURL string) *ssoInstance {
	return a.sso.instances[normalStartURL(startURL)]
}

// authClientLocked authenticates a client by id and secret at the call's
// region: unknown, wrong secret, expired or registered in another region
// answer InvalidClientException.
func (a *AWS) authClientLocked(c *call, id, secret string) (*ssoClient, *apiError) {
	cl := a.sso.clients[id]
	switch {
	case cl == nil || subtle.ConstantTimeCompare([]byte(cl.secret), []byte(secret)) != 1:
		return nil, errOIDC("InvalidClientException", "Invalid client provided")
	case !a.now().Before(cl.Expiration):
		return nil, errOIDC("InvalidClientException", "Client registration has expired")
	case c.ep.region != "" && cl.Region != "" && cl.Region != c.ep.region:
		return nil, errOIDC("InvalidClientException", "Client was registered in another region")
	}
	return cl, nil
}

// newOpaque returns prefix and n random bytes in unpadded base64url.
func (a *AWS) newOpaque(prefix string, n int) string {
	return prefix + base64.RawURLEncoding.EncodeToString(a.randomBytes(n))
}

// userCodeChars are the letters of user codes: no vowels, so no words.
const userCodeChars = "BCDFGHJKLMNPQRSTVWXZ"

// newUserCode returns a user code such as "BCDF-GHJK".
func (a *AWS) newUserCode() string {
	s := a.randomString(8, userCodeChars)
	return s[:4] + "-" + s[4:]
}
