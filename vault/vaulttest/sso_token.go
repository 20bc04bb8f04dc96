package vaulttest

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"slices"
	"time"
)

// createTokenInput is CreateToken's request.
type createTokenInput struct {
	ClientID     string   `json:"clientId"`
	ClientSecret string   `json:"clientSecret"`
	GrantType    string   `json:"grantType"`
	DeviceCode   string   `json:"deviceCode"`
	Code         string   `json:"code"`
	CodeVerifier string   `json:"codeVerifier"`
	RedirectURI  string   `json:"redirectUri"`
	RefreshToken string   `json:"refreshToken"`
	Scope        []string `json:"scope"`
}

// createTokenOutput is CreateToken's answer.
type createTokenOutput struct {
	AccessToken  string `json:"accessToken"`
	ExpiresIn    int    `json:"expiresIn"`
	RefreshToken string `json:"refreshToken,omitempty"`
	TokenType    string `json:"tokenType"`
}

// slowDownStep is what a slow_down adds to a device code's interval
// (RFC 8628 §3.5).
const slowDownStep = 5 * time.Second

// createToken is CreateToken for the device code, authorization code and
// refresh token grants.
func (a *AWS) createToken(c *call) (any, *apiError) {
	var in createTokenInput
	if err := decodeSSOBody(c, &in); err != nil {
		return nil, err
	}
	if in.ClientID == "" || in.GrantType == "" {
		return nil, errOIDC("InvalidRequestException", "clientId and grantType are required")
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	cl, err := a.authClientLocked(c, in.ClientID, in.ClientSecret)
	if err != nil {
		return nil, err
	}
	grants := map[string]func(*ssoClient, createTokenInput) (*ssoToken, *apiError){
		grantDeviceCode: a.deviceGrantLocked, grantAuthCode: a.codeGrantLocked, grantRefreshToken: a.refreshGrantLocked,
	}
	grant := grants[in.GrantType]
	switch {
	case grant == nil:
		return nil, errOIDC("UnsupportedGrantTypeException", "Unsupported grant type")
	case !cl.allows(in.GrantType):
		return nil, errOIDC("UnauthorizedClientException", "Client is not authorized to use this grant type")
	case !subset(in.Scope, cl.Scopes):
		return nil, errOIDC("InvalidScopeException", "Invalid scope requested")
	}
	t, err := grant(cl, in)
	if err != nil {
		return nil, err
	}
	c.recordUser(t.user)
	return createTokenOutput{t.access, int(t.expires.Sub(t.issued) / time.Second), t.refresh, "Bearer"}, nil
}

// deviceGrantLocked polls a device authorization: authorization_pending
// until it is decided, slow_down when polled faster than its interval,
// expired_token once it expired, access_denied when denied.
func (a *AWS) deviceGrantLocked(cl *ssoClient, in createTokenInput) (*ssoToken, *apiError) {
	d := a.sso.devices[in.DeviceCode]
	if d == nil || d.clientID != cl.ClientID {
		return nil, errOIDC("InvalidGrantException", "Invalid device code provided")
	}
	now := a.now()
	last := d.lastPoll
	d.lastPoll = now
	switch {
	case !now.Before(d.expires):
		return nil, errOIDC("ExpiredTokenException", "Device code has expired")
	case d.status == DeviceDenied:
		return nil, errOIDC("AccessDeniedException", "Access denied by the user")
	case d.status == DeviceRedeemed:
		return nil, errOIDC("InvalidGrantException", "Device code has already been used")
	case d.status == DevicePending && !a.sso.settings.IgnorePollInterval && !last.IsZero() && now.Sub(last) < d.interval:
		d.interval += slowDownStep
		return nil, errOIDC("SlowDownException", "Client is polling too fast")
	case d.status == DevicePending:
		return nil, errOIDC("AuthorizationPendingException", msgAuthorizationPending)
	}
	d.status = DeviceRedeemed
	return a.issueSSOTokenLocked(cl, d.instance, d.user, grantDeviceCode, time.Time{}, 0), nil
}

// codeGrantLocked exchanges an authorization code: once only, before it
// expires, with the redirect URI it was issued for and the verifier of its
// S256 challenge (RFC 7636 §4.6). A replayed code revokes what it issued
// (RFC 6749 §4.1.2).
func (a *AWS) codeGrantLocked(cl *ssoClient, in createTokenInput) (*ssoToken, *apiError) {
	code := a.sso.codes[in.Code]
	switch {
	case code == nil || code.clientID != cl.ClientID:
		return nil, errOIDC("InvalidGrantException", "Invalid authorization code provided")
	case code.used:
		for _, t := range code.tokens {
			t.revoked, t.refreshRevoked = true, true
		}
		return nil, errOIDC("InvalidGrantException", "Authorization code has already been used")
	case !a.now().Before(code.expires):
		return nil, errOIDC("ExpiredTokenException", "Authorization code has expired")
	}
	code.used = true
	if in.RedirectURI != code.redirectURI {
		return nil, errOIDC("InvalidGrantException", "Redirect URI does not match the authorization request")
	}
	if !validVerifier(in.CodeVerifier) ||
		subtle.ConstantTimeCompare([]byte(s256(in.CodeVerifier)), []byte(code.challenge)) != 1 {
		return nil, errOIDC("InvalidGrantException", "Code verifier does not match the code challenge")
	}
	t := a.issueSSOTokenLocked(cl, code.instance, code.user, grantAuthCode, time.Time{}, 0)
	code.tokens = append(code.tokens, t)
	return t, nil
}

// refreshGrantLocked exchanges a live refresh token for a new access token
// and a new refresh token; the old refresh token stops working (rotation).
// The sign-in session's end does not move.
func (a *AWS) refreshGrantLocked(cl *ssoClient, in createTokenInput) (*ssoToken, *apiError) {
	old := a.sso.refresh[in.RefreshToken]
	if old == nil || old.clientID != cl.ClientID || !old.liveRefresh(a.now()) {
		return nil, errOIDC("InvalidGrantException", msgInvalidRefreshToken)
	}
	old.refreshRevoked = true
	return a.issueSSOTokenLocked(cl, old.instance, old.user, grantRefreshToken, old.sessionEnd, old.session), nil
}

// issueSSOTokenLocked mints an access token, and a refresh token when the
// client may refresh. A new sign-in (zero sessionEnd) starts a session of
// SSOSettings.SessionDuration.
func (a *AWS) issueSSOTokenLocked(cl *ssoClient, inst *ssoInstance, user, grant string, sessionEnd time.Time, session int) *ssoToken {
	now := a.now()
	s := a.sso.settings
	if sessionEnd.IsZero() {
		sessionEnd, session = now.Add(s.SessionDuration), len(a.sso.tokens)+1
	}
	t := &ssoToken{access: a.newOpaque("aoa", 96), clientID: cl.ClientID, instance: inst, user: user,
		scopes: cl.Scopes, grant: grant, issued: now, expires: sessionEnd, sessionEnd: sessionEnd, session: session}
	if cl.allows(grantRefreshToken) {
		t.refresh = a.newOpaque("aor", 96)
		t.expires = minTime(now.Add(s.AccessTokenLifetime), sessionEnd)
		a.sso.refresh[t.refresh] = t
	}
	a.sso.access[t.access] = t
	a.sso.tokens = append(a.sso.tokens, t)
	return t
}

// validVerifier checks a PKCE code verifier: 43 to 128 characters of
// [A-Za-z0-9-._~] (RFC 7636 §4.1).
func validVerifier(v string) bool {
	return len(v) >= 43 && len(v) <= 128 && allIn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}

// validChallenge checks an S256 code challenge: unpadded base64url of a
// SHA-256 sum, 43 characters.
func validChallenge(c string) bool {
	b, err := base64.RawURLEncoding.DecodeString(c)
	return err == nil && len(b) == sha256.Size && len(c) == 43
}

// s256 is the S256 code challenge of verifier (RFC 7636 §4.2).
func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// subset reports whether every element of sub is in set.
func subset(sub, set []string) bool {
	for _, s := range sub {
		if !slices.Contains(set, s) {
			return false
		}
	}
	return true
}

// minTime is the earlier of a and b.
func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
