package vaulttest

import (
	"net"
	"net/url"
	"slices"
	"strings"
	"time"
)

// OAuth 2.0 grant types of SSO OIDC.
const (
	grantDeviceCode   = "urn:ietf:params:oauth:grant-type:device_code"
	grantAuthCode     = "authorization_code"
	grantRefreshToken = "refresh_token"
)

// knownGrants are the grant types RegisterClient accepts.
var knownGrants = []string{grantDeviceCode, grantAuthCode, grantRefreshToken,
	"urn:ietf:params:oauth:grant-type:jwt-bearer", "urn:ietf:params:oauth:grant-type:token-exchange"}

// registerClientInput is RegisterClient's request.
type registerClientInput struct {
	ClientName   string   `json:"clientName"`
	ClientType   string   `json:"clientType"`
	Scopes       []string `json:"scopes"`
	GrantTypes   []string `json:"grantTypes"`
	RedirectURIs []string `json:"redirectUris"`
	IssuerURL    string   `json:"issuerUrl"`
}

// registerClientOutput is RegisterClient's answer (times in Unix seconds).
type registerClientOutput struct {
	ClientID              string `json:"clientId"`
	ClientIDIssuedAt      int64  `json:"clientIdIssuedAt"`
	ClientSecret          string `json:"clientSecret"`
	ClientSecretExpiresAt int64  `json:"clientSecretExpiresAt"`
}

// registerClient is RegisterClient: a public client, valid for
// SSOSettings.ClientLifetime.
func (a *AWS) registerClient(c *call) (any, *apiError) {
	var in registerClientInput
	if err := decodeSSOBody(c, &in); err != nil {
		return nil, err
	}
	if err := checkRegistration(in); err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if in.IssuerURL != "" {
		if inst := a.instanceLocked(in.IssuerURL); inst == nil || c.ep.region != "" && inst.region != c.ep.region {
			return nil, errOIDC("InvalidRequestException", "Invalid issuer URL")
		}
	}
	now := a.now().UTC().Truncate(time.Second)
	cl := &ssoClient{SSOClient: SSOClient{
		ClientID: a.newOpaque("", 24), ClientName: in.ClientName, ClientType: in.ClientType,
		Scopes: in.Scopes, GrantTypes: in.GrantTypes, RedirectURIs: in.RedirectURIs, IssuerURL: in.IssuerURL,
		Region: c.ep.region, Issued: now, Expiration: now.Add(a.sso.settings.ClientLifetime),
	}, secret: a.newOpaque("eyJ", 192)}
	a.sso.clients[cl.ClientID] = cl
	a.sso.clientIDs = append(a.sso.clientIDs, cl.ClientID)
	c.rec.Params["ClientId"] = cl.ClientID
	return registerClientOutput{cl.ClientID, now.Unix(), cl.secret, cl.Expiration.Unix()}, nil
}

// checkRegistration validates RegisterClient's members.
func checkRegistration(in registerClientInput) *apiError {
	switch {
	case in.ClientName == "" || in.ClientType == "":
		return errOIDC("InvalidRequestException", "clientName and clientType are required")
	case in.ClientType != "public":
		return errOIDC("InvalidClientMetadataException", "Invalid client type: only public clients are supported")
	}
	for _, s := range in.Scopes {
		if !validScope(s) {
			return errOIDC("InvalidScopeException", "Invalid scope requested")
		}
	}
	for _, g := range in.GrantTypes {
		if !slices.Contains(knownGrants, g) {
			return errOIDC("InvalidClientMetadataException", "Invalid grant type")
		}
	}
	for _, u := range in.RedirectURIs {
		if _, ok := loopbackRedirect(u); !ok {
			return errOIDC("InvalidRedirectUriException", "Invalid redirect URI: only http loopback addresses are supported")
		}
	}
	if slices.Contains(in.GrantTypes, grantAuthCode) && (len(in.RedirectURIs) == 0 || in.IssuerURL == "") {
		return errOIDC("InvalidClientMetadataException", "The authorization_code grant needs redirectUris and issuerUrl")
	}
	return nil
}

// validScope accepts "openid" and scopes such as sso:account:access or
// codewhisperer:completions.
func validScope(s string) bool {
	if s == "openid" {
		return true
	}
	parts := strings.Split(s, ":")
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if p == "" || !allIn(p, "abcdefghijklmnopqrstuvwxyz0123456789_-*") {
			return false
		}
	}
	return true
}

// loopbackRedirect parses an http redirect URI on 127.0.0.1 or [::1],
// the only ones a public client may use (RFC 8252 §7.3).
func loopbackRedirect(raw string) (*url.URL, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" || u.Fragment != "" || u.User != nil {
		return nil, false
	}
	ip := net.ParseIP(u.Hostname())
	return u, ip != nil && ip.IsLoopback()
}

// redirectMatches reports whether requested equals one of the registered
// redirect URIs, ignoring the port: loopback clients pick their port when
// they sign in (RFC 8252 §7.3).
func redirectMatches(registered []string, requested string) bool {
	req, ok := loopbackRedirect(requested)
	if !ok {
		return false
	}
	for _, r := range registered {
		reg, ok := loopbackRedirect(r)
		if ok && reg.Hostname() == req.Hostname() && reg.EscapedPath() == req.EscapedPath() && reg.RawQuery == req.RawQuery {
			return true
		}
	}
	return false
}
