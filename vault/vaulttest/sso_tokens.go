package vaulttest

import (
	"slices"
	"time"
)

// SSOToken is an access token (and its refresh token) CreateToken issued,
// as a test sees it. The token values are secrets; they are here so that a
// test can revoke exactly one.
type SSOToken struct {
	AccessToken  string
	RefreshToken string // "" when the client may not refresh
	ClientID     string
	StartURL     string
	User         string
	GrantType    string // the grant that issued it
	Scopes       []string
	Issued       time.Time
	Expiration   time.Time // of the access token
	SessionEnd   time.Time // the refresh token works until then
	Revoked      bool      // the access token was revoked
	// RefreshRevoked: the refresh token was revoked or used (a refresh
	// rotates it).
	RefreshRevoked bool
}

// SSOTokens returns every token issued so far, oldest first.
func (a *AWS) SSOTokens() []SSOToken {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]SSOToken, 0, len(a.sso.tokens))
	for _, t := range a.sso.tokens {
		out = append(out, SSOToken{t.access, t.refresh, t.clientID, t.instance.startURL, t.user, t.grant,
			slices.Clone(t.scopes), t.issued, t.expires, t.sessionEnd, t.revoked, t.refreshRevoked})
	}
	return out
}

// SSOClients returns every client registration, oldest first.
func (a *AWS) SSOClients() []SSOClient {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]SSOClient, 0, len(a.sso.clientIDs))
	for _, id := range a.sso.clientIDs {
		c := a.sso.clients[id].SSOClient
		c.Scopes, c.GrantTypes, c.RedirectURIs = slices.Clone(c.Scopes), slices.Clone(c.GrantTypes), slices.Clone(c.RedirectURIs)
		out = append(out, c)
	}
	return out
}

// RevokeSSOToken revokes an access token or a refresh token, given its
// value: the portal then answers 401 for the access token, CreateToken
// InvalidGrantException for the refresh token. It reports whether the
// value was known.
func (a *AWS) RevokeSSOToken(token string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if t := a.sso.access[token]; t != nil {
		t.revoked = true
		return true
	}
	if t := a.sso.refresh[token]; t != nil {
		t.refreshRevoked = true
		return true
	}
	return false
}

// RevokeSSOSessions signs user of the instance at startURL out everywhere,
// as an administrator revoking the user's sessions does: every access and
// refresh token of theirs stops working. It returns how many tokens were
// live.
func (a *AWS) RevokeSSOSessions(startURL, user string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	now := a.now()
	for _, t := range a.sso.tokens {
		if t.user == user && normalStartURL(t.instance.startURL) == normalStartURL(startURL) {
			if t.liveAccess(now) || t.liveRefresh(now) {
				n++
			}
			t.revoked, t.refreshRevoked = true, true
		}
	}
	return n
}

// ExpireSSOAccessTokens makes every live access token expire now on the
// emulator's clock, as if its hour had passed, while clients still think
// it valid; refresh tokens keep working. It returns how many it expired.
func (a *AWS) ExpireSSOAccessTokens() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	now := a.now()
	for _, t := range a.sso.tokens {
		if t.liveAccess(now) {
			t.expires = now
			n++
		}
	}
	return n
}

// ExpireSSOClients makes every client registration expire now on the
// emulator's clock: RegisterClient must be called again. It returns how
// many were live.
func (a *AWS) ExpireSSOClients() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	now := a.now()
	for _, c := range a.sso.clients {
		if now.Before(c.Expiration) {
			c.Expiration = now
			n++
		}
	}
	return n
}
