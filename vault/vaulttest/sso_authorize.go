package vaulttest

import (
	"net/http"
	"net/url"
	"strings"
)

// authorizeAnswer is what the authorize endpoint does: redirect to the
// client (redirect set), or show a page (status, code, text).
type authorizeAnswer struct {
	redirect string
	status   int
	code     string
	text     string
}

// serveAuthorize is GET /authorize, the authorization code flow with PKCE
// (RFC 6749 §4.1, RFC 7636) as IAM Identity Center serves it to the AWS
// CLI: response_type=code, client_id, redirect_uri, state,
// code_challenge_method=S256, code_challenge and scopes (space separated).
// A request naming an unknown client or a redirect URI it did not register
// gets an error page; other errors, and the user's answer
// (SSOSettings.Consent), go back to the redirect URI.
func (a *AWS) serveAuthorize(w http.ResponseWriter, c *call) {
	a.mu.Lock()
	ans := a.authorizeLocked(c)
	a.mu.Unlock()
	if ans.redirect == "" {
		a.sendPage(w, c, ans.status, ans.code, "Sign in", ans.text)
		return
	}
	w.Header().Set("Location", ans.redirect)
	a.sendPage(w, c, http.StatusFound, ans.code, "Redirecting", "Returning to the application.")
}

// authorizeLocked checks the request and decides the answer.
func (a *AWS) authorizeLocked(c *call) authorizeAnswer {
	q := c.form
	cl := a.sso.clients[q.Get("client_id")]
	redirectURI, state := q.Get("redirect_uri"), q.Get("state")
	switch {
	case cl == nil || !a.now().Before(cl.Expiration) || c.ep.region != "" && cl.Region != "" && cl.Region != c.ep.region:
		return authorizeAnswer{status: http.StatusBadRequest, code: "InvalidClient", text: "The client is unknown or its registration has expired."}
	case !redirectMatches(cl.RedirectURIs, redirectURI):
		return authorizeAnswer{status: http.StatusBadRequest, code: "InvalidRedirectUri", text: "The redirect URI is not registered for this client."}
	}
	fail := func(code, desc string) authorizeAnswer {
		return authorizeAnswer{redirect: withQuery(redirectURI, "error", code, "error_description", desc, "state", state), code: code}
	}
	scopes := strings.Fields(q.Get("scopes"))
	inst := a.instanceLocked(cl.IssuerURL)
	switch {
	case !cl.allows(grantAuthCode) || inst == nil:
		return fail("unauthorized_client", "The client may not use the authorization code grant")
	case q.Get("response_type") != "code":
		return fail("unsupported_response_type", "response_type must be code")
	case q.Get("code_challenge_method") != "S256":
		return fail("invalid_request", "code_challenge_method must be S256")
	case !validChallenge(q.Get("code_challenge")):
		return fail("invalid_request", "code_challenge must be an unpadded base64url SHA-256 sum")
	case !subset(scopes, cl.Scopes):
		return fail("invalid_scope", "The scopes were not registered for this client")
	}
	return a.consentLocked(c, cl, inst, scopes, fail)
}

// consentLocked is the user's answer on the sign-in page.
func (a *AWS) consentLocked(c *call, cl *ssoClient, inst *ssoInstance, scopes []string,
	fail func(code, desc string) authorizeAnswer) authorizeAnswer {
	s := a.sso.settings
	u := inst.user(s.BrowserUser)
	switch {
	case s.Consent == SSOConsentIgnore:
		return authorizeAnswer{status: http.StatusOK, code: "Pending", text: "Waiting for you to sign in."}
	case u == nil:
		return authorizeAnswer{status: http.StatusBadRequest, code: "UnknownUser", text: "The signed-in user is not in this directory."}
	}
	c.recordUser(u.Name)
	if s.Consent == SSOConsentDeny {
		return fail("access_denied", "The user denied access")
	}
	if len(scopes) == 0 {
		scopes = cl.Scopes
	}
	q := c.form
	code := a.newOpaque("", 96)
	a.sso.codes[code] = &ssoCode{clientID: cl.ClientID, redirectURI: q.Get("redirect_uri"),
		challenge: q.Get("code_challenge"), scopes: scopes, instance: inst, user: u.Name,
		expires: a.now().Add(s.AuthCodeLifetime)}
	return authorizeAnswer{redirect: withQuery(q.Get("redirect_uri"), "code", code, "state", q.Get("state")), code: "OK"}
}

// withQuery adds key/value pairs to rawURL's query, skipping empty values.
func withQuery(rawURL string, kv ...string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL
	}
	q := u.Query()
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			q.Set(kv[i], kv[i+1])
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}
