package vaulttest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	oidctypes "github.com/aws/aws-sdk-go-v2/service/ssooidc/types"
)

func TestSSOPKCESignIn(t *testing.T) {
	w := newWorld(t)
	r := w.pkceClient(t)
	cb := newCallback(t)
	p := newPKCE()
	v, err := w.aws.Browser().Open(ctx(t), authorizeURL(w.url, r, cb.uri(), "state-1", p))
	noErr(t, err)
	if v.Status != http.StatusFound || v.State != "state-1" || v.Code == "" || v.CallbackStatus != 200 ||
		v.CallbackBody != "You may close this tab." {
		t.Fatalf("visit = %+v", v)
	}
	if len(cb.calls) != 1 || cb.calls[0].Get("code") != v.Code || cb.calls[0].Get("state") != "state-1" {
		t.Errorf("redirect URI got %v", cb.calls)
	}
	tok, err := w.exchange(t, r, v.Code, cb.uri(), p.verifier)
	noErr(t, err)
	if !strings.HasPrefix(aws.ToString(tok.RefreshToken), "aor") || tok.ExpiresIn != 3600 {
		t.Errorf("refresh %q, expires %d", aws.ToString(tok.RefreshToken), tok.ExpiresIn)
	}
	if _, err := w.roleCreds(t, tok.AccessToken, FixtureAccount, FixtureSSOViewOnlyRole); err != nil {
		t.Error(err)
	}
	// The code is single use; replaying it revokes what it issued.
	_, err = w.exchange(t, r, v.Code, cb.uri(), p.verifier)
	wantOIDCError[*oidctypes.InvalidGrantException](t, err, 400, "invalid_grant")
	_, err = w.roleCreds(t, tok.AccessToken, FixtureAccount, FixtureSSOViewOnlyRole)
	wantAPIError(t, err, 401, "UnauthorizedException", msgPortalUnauthorized)
	_, err = w.refresh(t, r, tok.RefreshToken)
	wantOIDCError[*oidctypes.InvalidGrantException](t, err, 400, "invalid_grant")
}

func TestSSOPKCEExchangeRefusals(t *testing.T) {
	w := newWorld(t)
	r := w.pkceClient(t)
	cb := newCallback(t)
	signIn := func() (string, pkce) {
		p := newPKCE()
		v, err := w.aws.Browser().Open(ctx(t), authorizeURL(w.url, r, cb.uri(), "s", p))
		noErr(t, err)
		return v.Code, p
	}
	code, p := signIn()
	_, err := w.exchange(t, r, code, cb.uri(), newPKCE().verifier)
	wantOIDCError[*oidctypes.InvalidGrantException](t, err, 400, "invalid_grant")
	_, err = w.exchange(t, r, code, cb.uri(), p.verifier) // spent by the failed attempt
	wantOIDCError[*oidctypes.InvalidGrantException](t, err, 400, "invalid_grant")

	code, p = signIn()
	_, err = w.exchange(t, r, code, "http://127.0.0.1:1/oauth/callback", p.verifier)
	wantOIDCError[*oidctypes.InvalidGrantException](t, err, 400, "invalid_grant")

	code, p = signIn()
	_, err = w.exchange(t, r, code, cb.uri(), p.challenge) // the challenge is no verifier
	wantOIDCError[*oidctypes.InvalidGrantException](t, err, 400, "invalid_grant")

	code, p = signIn()
	_, err = w.exchange(t, w.pkceClient(t), code, cb.uri(), p.verifier) // another client
	wantOIDCError[*oidctypes.InvalidGrantException](t, err, 400, "invalid_grant")

	code, p = signIn()
	w.after(5 * time.Minute)
	_, err = w.exchange(t, r, code, cb.uri(), p.verifier)
	wantOIDCError[*oidctypes.ExpiredTokenException](t, err, 400, "expired_token")

	device := w.register(t, nil)
	_, err = w.exchange(t, device, "whatever", cb.uri(), p.verifier)
	wantOIDCError[*oidctypes.UnauthorizedClientException](t, err, 400, "unauthorized_client")
}

func TestSSOPKCEWrongStateReachesTheClient(t *testing.T) {
	w := newWorld(t)
	r := w.pkceClient(t)
	cb := newCallback(t)
	b := w.aws.Browser()
	b.State = "forged"
	v, err := b.Open(ctx(t), authorizeURL(w.url, r, cb.uri(), "right", newPKCE()))
	noErr(t, err)
	if v.State != "right" || len(cb.calls) != 1 || cb.calls[0].Get("state") != "forged" || cb.calls[0].Get("code") == "" {
		t.Errorf("visit %+v, redirect URI got %v", v, cb.calls)
	}
}

func TestSSOPKCEConsent(t *testing.T) {
	w := newWorld(t)
	r := w.pkceClient(t)
	cb := newCallback(t)
	w.aws.SetSSOSettings(SSOSettings{Consent: SSOConsentDeny})
	v, err := w.aws.Browser().Open(ctx(t), authorizeURL(w.url, r, cb.uri(), "s", newPKCE()))
	noErr(t, err)
	if v.Error != "access_denied" || v.Code != "" || v.State != "s" || len(cb.calls) != 1 {
		t.Errorf("denied: %+v", v)
	}
	w.aws.SetSSOSettings(SSOSettings{Consent: SSOConsentIgnore})
	v, err = w.aws.Browser().Open(ctx(t), authorizeURL(w.url, r, cb.uri(), "s", newPKCE()))
	noErr(t, err)
	if v.Status != 200 || v.Redirect != "" || len(cb.calls) != 1 {
		t.Errorf("ignored: %+v", v)
	}
	w.aws.SetSSOSettings(SSOSettings{BrowserUser: FixtureSSOOtherUser})
	v, err = w.aws.Browser().Open(ctx(t), authorizeURL(w.url, r, cb.uri(), "s", newPKCE()))
	noErr(t, err)
	if reqs := w.aws.RequestsFor("Authorize"); reqs[len(reqs)-1].Params["User"] != FixtureSSOOtherUser || v.Code == "" {
		t.Errorf("kim's sign-in: %+v", reqs[len(reqs)-1])
	}
}

func TestSSOAuthorizeChecks(t *testing.T) {
	w := newWorld(t)
	r := w.pkceClient(t)
	cb := newCallback(t)
	good := authorizeURL(w.url, r, cb.uri(), "s", newPKCE())
	// The browser refuses to open a malformed PKCE request, naming the
	// parameter at fault.
	for param, bad := range map[string]string{
		"code_challenge_method": "plain", "code_challenge": "short", "redirect_uri": "https://evil.example/cb",
		"state": "", "response_type": "token", "scopes": "",
	} {
		u, _ := url.Parse(good)
		q := u.Query()
		q.Set(param, bad)
		u.RawQuery = q.Encode()
		if _, err := w.aws.Browser().Open(ctx(t), u.String()); err == nil || !strings.Contains(err.Error(), param) {
			t.Errorf("%s=%q: error %v", param, bad, err)
		}
	}
	// The emulator refuses them too: errors after the redirect URI is
	// known go back to it (RFC 6749 §4.1.2.1), others get a page.
	get := func(mutate func(url.Values)) (*http.Response, url.Values) {
		u, _ := url.Parse(good)
		q := u.Query()
		mutate(q)
		u.RawQuery = q.Encode()
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := client.Get(u.String())
		noErr(t, err)
		resp.Body.Close()
		loc, _ := url.Parse(resp.Header.Get("Location"))
		return resp, loc.Query()
	}
	if resp, q := get(func(q url.Values) { q.Set("code_challenge", "x") }); resp.StatusCode != 302 || q.Get("error") != "invalid_request" {
		t.Errorf("bad challenge: %d %v", resp.StatusCode, q)
	}
	if resp, q := get(func(q url.Values) { q.Set("scopes", "openid") }); resp.StatusCode != 302 || q.Get("error") != "invalid_scope" {
		t.Errorf("unregistered scope: %d %v", resp.StatusCode, q)
	}
	if resp, _ := get(func(q url.Values) { q.Set("redirect_uri", "http://127.0.0.1:9/elsewhere") }); resp.StatusCode != 400 {
		t.Errorf("unregistered redirect path: %d", resp.StatusCode)
	}
	if resp, _ := get(func(q url.Values) { q.Set("client_id", "nobody") }); resp.StatusCode != 400 {
		t.Errorf("unknown client: %d", resp.StatusCode)
	}
	if len(cb.calls) != 0 {
		t.Errorf("redirect URI called: %v", cb.calls)
	}
}

func TestSSORefreshToken(t *testing.T) {
	w := newWorld(t)
	r := w.pkceClient(t)
	first := w.pkceToken(t, r)
	w.after(59 * time.Minute)
	second, err := w.refresh(t, r, first.RefreshToken)
	noErr(t, err)
	if aws.ToString(second.AccessToken) == aws.ToString(first.AccessToken) ||
		aws.ToString(second.RefreshToken) == aws.ToString(first.RefreshToken) || second.ExpiresIn != 3600 {
		t.Errorf("refresh did not issue new tokens (expires %d)", second.ExpiresIn)
	}
	// Rotation: the old refresh token is spent; the old access token lives
	// out its hour.
	_, err = w.refresh(t, r, first.RefreshToken)
	e := wantOIDCError[*oidctypes.InvalidGrantException](t, err, 400, "invalid_grant")
	if aws.ToString(e.Error_description) != msgInvalidRefreshToken {
		t.Errorf("description %q", aws.ToString(e.Error_description))
	}
	if _, err := w.roleCreds(t, first.AccessToken, FixtureAccount, FixtureSSODeveloperRole); err != nil {
		t.Errorf("old access token before its expiry: %v", err)
	}
	w.after(time.Minute)
	_, err = w.roleCreds(t, first.AccessToken, FixtureAccount, FixtureSSODeveloperRole)
	wantAPIError(t, err, 401, "UnauthorizedException", msgPortalUnauthorized)

	// Another client cannot use it; a revoked one fails.
	_, err = w.refresh(t, w.pkceClient(t), second.RefreshToken)
	wantOIDCError[*oidctypes.InvalidGrantException](t, err, 400, "invalid_grant")
	if !w.aws.RevokeSSOToken(aws.ToString(second.RefreshToken)) {
		t.Fatal("refresh token unknown")
	}
	_, err = w.refresh(t, r, second.RefreshToken)
	wantOIDCError[*oidctypes.InvalidGrantException](t, err, 400, "invalid_grant")

	// Refreshing never outlives the sign-in session (8 h).
	third := w.pkceToken(t, r)
	for range 7 {
		w.after(time.Hour)
		third, err = w.refresh(t, r, third.RefreshToken)
		noErr(t, err)
	}
	if third.ExpiresIn != 3600 {
		t.Errorf("last access token lasts %d s, want the hour to the session's end", third.ExpiresIn)
	}
	w.after(time.Hour)
	_, err = w.refresh(t, r, third.RefreshToken)
	wantOIDCError[*oidctypes.InvalidGrantException](t, err, 400, "invalid_grant")

	// An expired registration cannot refresh.
	fourth := w.pkceToken(t, r)
	w.aws.ExpireSSOClients()
	_, err = w.refresh(t, r, fourth.RefreshToken)
	wantOIDCError[*oidctypes.InvalidClientException](t, err, 401, "invalid_client")
}

func TestSSODeviceFlowWithScopesGetsRefreshTokens(t *testing.T) {
	// The AWS CLI's device flow for sso-session profiles registers scopes
	// and no grant types, and refreshes what it gets.
	w := newWorld(t)
	r := w.register(t, ssooidcRegister{scopes: []string{scopeAccountAccess}}.input())
	tok := w.deviceToken(t, r)
	if tok.RefreshToken == nil || tok.ExpiresIn != 3600 {
		t.Fatalf("refresh %v, expires %d", tok.RefreshToken != nil, tok.ExpiresIn)
	}
	_, err := w.refresh(t, r, tok.RefreshToken)
	noErr(t, err)
	if toks := w.aws.SSOTokens(); len(toks) != 2 || toks[1].GrantType != grantRefreshToken || !toks[0].RefreshRevoked {
		t.Errorf("tokens = %+v", toks)
	}
}

func TestSSOBrowserServesAWSHostsInProcess(t *testing.T) {
	w := newWorld(t)
	r := w.pkceClient(t)
	cb := newCallback(t)
	p := newPKCE()
	base := "https://oidc." + FixtureSSORegion + ".amazonaws.com"
	v, err := w.aws.Browser().Open(ctx(t), authorizeURL(base, r, cb.uri(), "s", p))
	noErr(t, err)
	if _, err := w.exchange(t, r, v.Code, cb.uri(), p.verifier); err != nil {
		t.Fatal(err)
	}
	start := w.deviceStart(t, w.register(t, nil), FixtureSSOStartURL)
	v, err = w.aws.Browser().Open(ctx(t), "https://device.sso."+FixtureSSORegion+".amazonaws.com/?user_code="+aws.ToString(start.UserCode))
	noErr(t, err)
	if v.Status != 200 || w.aws.SSODeviceAuthorizations()[0].Status != DeviceApproved {
		t.Errorf("device page %d, authorizations %+v", v.Status, w.aws.SSODeviceAuthorizations())
	}
	v, err = w.aws.Browser().Open(ctx(t), "https://device.sso.us-east-1.amazonaws.com/?user_code="+aws.ToString(start.UserCode))
	noErr(t, err)
	if v.Status != 400 {
		t.Errorf("a code of eu-central-1 on us-east-1's page: %d", v.Status)
	}
	hosts := map[string]bool{}
	for _, req := range w.aws.Requests() {
		hosts[req.Host+" "+req.Action] = true
	}
	if !hosts["oidc.eu-central-1.amazonaws.com Authorize"] || !hosts["device.sso.eu-central-1.amazonaws.com VerifyDevice"] {
		t.Errorf("recorded hosts %v", hosts)
	}
	w.aws.Fault("Authorize", FaultSpec{ResetConnection: true, Times: 1})
	if _, err := w.aws.Browser().Open(ctx(t), authorizeURL(base, r, cb.uri(), "s", newPKCE())); err == nil {
		t.Error("a reset connection opened")
	}
}
