package vaulttest

import (
	"crypto/rand"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	oidctypes "github.com/aws/aws-sdk-go-v2/service/ssooidc/types"
)

// ssoConfig is an unsigned SDK config for the SSO clients: through the
// endpoint URL, or through client (the proxy) when set.
func (w *world) ssoConfig(region string, client *http.Client) aws.Config {
	cfg := aws.Config{Region: region, RetryMaxAttempts: 1}
	if client != nil {
		cfg.HTTPClient = client
	} else {
		cfg.BaseEndpoint = aws.String(w.url)
	}
	return cfg
}

// oidc is an SSO OIDC client on the endpoint URL, in the fixture's region.
func (w *world) oidc() *ssooidc.Client {
	return ssooidc.NewFromConfig(w.ssoConfig(FixtureSSORegion, nil))
}

// portal is an SSO portal client on the endpoint URL.
func (w *world) portal() *sso.Client {
	return sso.NewFromConfig(w.ssoConfig(FixtureSSORegion, nil))
}

// registration is a client registration's id and secret.
type registration struct{ id, secret string }

// register registers a client as aws-vault v7 does: public, no scopes.
func (w *world) register(t *testing.T, in *ssooidc.RegisterClientInput) registration {
	t.Helper()
	if in == nil {
		in = &ssooidc.RegisterClientInput{ClientName: aws.String("aws-vault"), ClientType: aws.String("public")}
	}
	out, err := w.oidc().RegisterClient(ctx(t), in)
	noErr(t, err)
	return registration{aws.ToString(out.ClientId), aws.ToString(out.ClientSecret)}
}

// deviceStart starts a device authorization for startURL.
func (w *world) deviceStart(t *testing.T, r registration, startURL string) *ssooidc.StartDeviceAuthorizationOutput {
	t.Helper()
	out, err := w.oidc().StartDeviceAuthorization(ctx(t), &ssooidc.StartDeviceAuthorizationInput{
		ClientId: aws.String(r.id), ClientSecret: aws.String(r.secret), StartUrl: aws.String(startURL)})
	noErr(t, err)
	return out
}

// poll is one CreateToken with the device code grant.
func (w *world) poll(t *testing.T, r registration, deviceCode *string) (*ssooidc.CreateTokenOutput, error) {
	t.Helper()
	return w.oidc().CreateToken(ctx(t), &ssooidc.CreateTokenInput{ClientId: aws.String(r.id),
		ClientSecret: aws.String(r.secret), GrantType: aws.String(grantDeviceCode), DeviceCode: deviceCode})
}

// deviceToken signs in with the device flow, approved by the test, and
// returns the access token.
func (w *world) deviceToken(t *testing.T, r registration) *ssooidc.CreateTokenOutput {
	t.Helper()
	start := w.deviceStart(t, r, FixtureSSOStartURL)
	noErr(t, w.aws.SSOApprove(aws.ToString(start.UserCode)))
	out, err := w.poll(t, r, start.DeviceCode)
	noErr(t, err)
	return out
}

// wantOIDCError asserts err is the SSO OIDC exception E, with the HTTP
// status and the OAuth error code AWS sends in the body.
func wantOIDCError[E error](t *testing.T, err error, status int, oauthCode string) E {
	t.Helper()
	var target E
	if !errors.As(err, &target) {
		t.Fatalf("error = %v, want %T", err, target)
	}
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || re.HTTPStatusCode() != status {
		t.Fatalf("error %v: want HTTP %d", err, status)
	}
	if got := re.Response.Header.Get("X-Amzn-Errortype"); got == "" {
		t.Errorf("no x-amzn-ErrorType header")
	}
	if code := oauthError(err); code != oauthCode {
		t.Errorf("body error = %q, want %q", code, oauthCode)
	}
	return target
}

// oauthError is the "error" member of an SSO OIDC exception.
func oauthError(err error) string {
	var (
		pending *oidctypes.AuthorizationPendingException
		slow    *oidctypes.SlowDownException
		expired *oidctypes.ExpiredTokenException
		denied  *oidctypes.AccessDeniedException
		grant   *oidctypes.InvalidGrantException
		client  *oidctypes.InvalidClientException
		request *oidctypes.InvalidRequestException
		scope   *oidctypes.InvalidScopeException
		unauth  *oidctypes.UnauthorizedClientException
		meta    *oidctypes.InvalidClientMetadataException
		uri     *oidctypes.InvalidRedirectUriException
	)
	switch {
	case errors.As(err, &pending):
		return aws.ToString(pending.Error_)
	case errors.As(err, &slow):
		return aws.ToString(slow.Error_)
	case errors.As(err, &expired):
		return aws.ToString(expired.Error_)
	case errors.As(err, &denied):
		return aws.ToString(denied.Error_)
	case errors.As(err, &grant):
		return aws.ToString(grant.Error_)
	case errors.As(err, &client):
		return aws.ToString(client.Error_)
	case errors.As(err, &request):
		return aws.ToString(request.Error_)
	case errors.As(err, &scope):
		return aws.ToString(scope.Error_)
	case errors.As(err, &unauth):
		return aws.ToString(unauth.Error_)
	case errors.As(err, &meta):
		return aws.ToString(meta.Error_)
	case errors.As(err, &uri):
		return aws.ToString(uri.Error_)
	}
	return ""
}

// callback is a client's loopback redirect listener: it records each
// request's code and state and answers a page.
type callback struct {
	srv   *httptest.Server
	mu    sync.Mutex
	calls []url.Values
}

// newCallback starts a redirect listener on 127.0.0.1 for the test.
func newCallback(t *testing.T) *callback {
	cb := &callback{}
	cb.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cb.mu.Lock()
		cb.calls = append(cb.calls, r.URL.Query())
		cb.mu.Unlock()
		_, _ = w.Write([]byte("You may close this tab."))
	}))
	t.Cleanup(cb.srv.Close)
	return cb
}

// uri is the redirect URI with the listener's port.
func (cb *callback) uri() string {
	return cb.srv.URL + "/oauth/callback"
}

// pkce is a code verifier and its challenge, made as the AWS CLI makes
// them: 64 characters, and the challenge without its padding.
type pkce struct{ verifier, challenge string }

// newPKCE returns a fresh verifier and challenge.
func newPKCE() pkce {
	v := rand.Text() + rand.Text() + rand.Text()[:12]
	return pkce{v, s256(v)}
}

// authorizeURL is the URL the AWS CLI opens: the oidc base URL's
// /authorize with the PKCE parameters.
func authorizeURL(base string, r registration, redirect, state string, p pkce) string {
	q := url.Values{"response_type": {"code"}, "client_id": {r.id}, "redirect_uri": {redirect},
		"state": {state}, "code_challenge_method": {"S256"}, "scopes": {scopeAccountAccess}, "code_challenge": {p.challenge}}
	return base + "/authorize?" + q.Encode()
}

// pkceClient registers a client for the authorization code grant, as the
// AWS CLI v2 does.
func (w *world) pkceClient(t *testing.T) registration {
	return w.register(t, &ssooidc.RegisterClientInput{ClientName: aws.String("aws-vault"), ClientType: aws.String("public"),
		GrantTypes: []string{grantAuthCode, grantRefreshToken}, RedirectUris: []string{"http://127.0.0.1/oauth/callback"},
		IssuerUrl: aws.String(FixtureSSOStartURL), Scopes: []string{scopeAccountAccess}})
}

// exchange is CreateToken with the authorization code grant.
func (w *world) exchange(t *testing.T, r registration, code, redirect, verifier string) (*ssooidc.CreateTokenOutput, error) {
	t.Helper()
	return w.oidc().CreateToken(ctx(t), &ssooidc.CreateTokenInput{ClientId: aws.String(r.id),
		ClientSecret: aws.String(r.secret), GrantType: aws.String(grantAuthCode), Code: aws.String(code),
		RedirectUri: aws.String(redirect), CodeVerifier: aws.String(verifier)})
}

// refresh is CreateToken with the refresh token grant.
func (w *world) refresh(t *testing.T, r registration, token *string) (*ssooidc.CreateTokenOutput, error) {
	t.Helper()
	return w.oidc().CreateToken(ctx(t), &ssooidc.CreateTokenInput{ClientId: aws.String(r.id),
		ClientSecret: aws.String(r.secret), GrantType: aws.String(grantRefreshToken), RefreshToken: token})
}

// roleCreds calls GetRoleCredentials with token.
func (w *world) roleCreds(t *testing.T, token *string, account, role string) (*sso.GetRoleCredentialsOutput, error) {
	t.Helper()
	return w.portal().GetRoleCredentials(ctx(t), &sso.GetRoleCredentialsInput{AccessToken: token,
		AccountId: aws.String(account), RoleName: aws.String(role)})
}

// pkceToken signs in with PKCE and returns the tokens.
func (w *world) pkceToken(t *testing.T, r registration) *ssooidc.CreateTokenOutput {
	t.Helper()
	cb := newCallback(t)
	p := newPKCE()
	v, err := w.aws.Browser().Open(ctx(t), authorizeURL(w.url, r, cb.uri(), "s1", p))
	noErr(t, err)
	out, err := w.exchange(t, r, v.Code, cb.uri(), p.verifier)
	noErr(t, err)
	return out
}

// after moves the world's clock on by d.
func (w *world) after(d time.Duration) {
	w.clock.Advance(d)
}

// ssoKeys turns role credentials into keys to sign with.
func ssoKeys(out *sso.GetRoleCredentialsOutput) keys {
	rc := out.RoleCredentials
	return keys{aws.ToString(rc.AccessKeyId), aws.ToString(rc.SecretAccessKey), aws.ToString(rc.SessionToken)}
}

// ssooidcRegister builds a RegisterClient input named aws-vault.
type ssooidcRegister struct{ scopes []string }

// input is the RegisterClient input.
func (s ssooidcRegister) input() *ssooidc.RegisterClientInput {
	return &ssooidc.RegisterClientInput{ClientName: aws.String("aws-vault"), ClientType: aws.String("public"), Scopes: s.scopes}
}
