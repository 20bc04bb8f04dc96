package vaulttest

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	oidctypes "github.com/aws/aws-sdk-go-v2/service/ssooidc/types"
)

func TestSSODeviceFlowApproved(t *testing.T) {
	w := newWorld(t)
	r := w.register(t, nil)
	start := w.deviceStart(t, r, FixtureSSOStartURL)
	code := aws.ToString(start.UserCode)
	if !regexp.MustCompile(`^[B-Z]{4}-[B-Z]{4}$`).MatchString(code) || start.ExpiresIn != 600 || start.Interval != 1 {
		t.Errorf("start = %q, expires %d, interval %d", code, start.ExpiresIn, start.Interval)
	}
	if want := w.url + "/device/"; aws.ToString(start.VerificationUri) != want ||
		aws.ToString(start.VerificationUriComplete) != want+"?user_code="+code {
		t.Errorf("verification URIs %q %q", aws.ToString(start.VerificationUri), aws.ToString(start.VerificationUriComplete))
	}
	_, err := w.poll(t, r, start.DeviceCode)
	e := wantOIDCError[*oidctypes.AuthorizationPendingException](t, err, 400, "authorization_pending")
	if aws.ToString(e.Error_description) != msgAuthorizationPending {
		t.Errorf("description = %q", aws.ToString(e.Error_description))
	}
	noErr(t, w.aws.SSOApprove(code))
	w.after(time.Second)
	tok, err := w.poll(t, r, start.DeviceCode)
	noErr(t, err)
	if !strings.HasPrefix(aws.ToString(tok.AccessToken), "aoa") || tok.RefreshToken != nil || tok.ExpiresIn != 8*3600 ||
		aws.ToString(tok.TokenType) != "Bearer" {
		t.Errorf("token: refresh %v, expires %d, type %q", tok.RefreshToken != nil, tok.ExpiresIn, aws.ToString(tok.TokenType))
	}
	w.after(time.Second)
	_, err = w.poll(t, r, start.DeviceCode)
	wantOIDCError[*oidctypes.InvalidGrantException](t, err, 400, "invalid_grant")
	if got := w.aws.SSODeviceAuthorizations(); len(got) != 1 || got[0].Status != DeviceRedeemed || got[0].User != FixtureSSOUser {
		t.Errorf("authorizations = %+v", got)
	}
	creds, err := w.roleCreds(t, tok.AccessToken, FixtureAccount, FixtureSSODeveloperRole)
	noErr(t, err)
	if arn := w.callerARN(t, ssoKeys(creds)); arn != SSOSessionARN(FixtureSSORegion, FixtureSSOStartURL, FixtureAccount, FixtureSSODeveloperRole, FixtureSSOUser) {
		t.Errorf("caller = %s", arn)
	}
}

func TestSSODeviceFlowDeniedExpiredAndApproveErrors(t *testing.T) {
	w := newWorld(t)
	r := w.register(t, nil)
	denied := w.deviceStart(t, r, FixtureSSOStartURL)
	noErr(t, w.aws.SSODeny(aws.ToString(denied.UserCode)))
	_, err := w.poll(t, r, denied.DeviceCode)
	wantOIDCError[*oidctypes.AccessDeniedException](t, err, 400, "access_denied")
	if w.aws.SSOApprove(aws.ToString(denied.UserCode)) == nil {
		t.Error("approved a denied code")
	}

	expired := w.deviceStart(t, r, FixtureSSOStartURL)
	w.after(10 * time.Minute)
	if w.aws.SSOApprove(aws.ToString(expired.UserCode)) == nil {
		t.Error("approved an expired code")
	}
	_, err = w.poll(t, r, expired.DeviceCode)
	wantOIDCError[*oidctypes.ExpiredTokenException](t, err, 400, "expired_token")

	if w.aws.SSOApprove("NOPE-NOPE") == nil || w.aws.SSOApproveAs(aws.ToString(w.deviceStart(t, r, FixtureSSOStartURL).UserCode), "nobody") == nil {
		t.Error("approved an unknown code or as an unknown user")
	}
	_, err = w.poll(t, r, aws.String("not-a-device-code"))
	wantOIDCError[*oidctypes.InvalidGrantException](t, err, 400, "invalid_grant")
	other := w.register(t, nil)
	_, err = w.poll(t, other, denied.DeviceCode)
	wantOIDCError[*oidctypes.InvalidGrantException](t, err, 400, "invalid_grant")
}

func TestSSOSlowDown(t *testing.T) {
	w := newWorld(t)
	r := w.register(t, nil)
	start := w.deviceStart(t, r, FixtureSSOStartURL)
	_, err := w.poll(t, r, start.DeviceCode)
	wantOIDCError[*oidctypes.AuthorizationPendingException](t, err, 400, "authorization_pending")
	w.after(999 * time.Millisecond)
	_, err = w.poll(t, r, start.DeviceCode)
	wantOIDCError[*oidctypes.SlowDownException](t, err, 400, "slow_down")
	if got := w.aws.SSODeviceAuthorizations()[0].Interval; got != 6*time.Second {
		t.Errorf("interval after slow_down = %v, want 6s", got)
	}
	w.after(5 * time.Second)
	_, err = w.poll(t, r, start.DeviceCode)
	wantOIDCError[*oidctypes.SlowDownException](t, err, 400, "slow_down") // 5 s < 6 s
	w.after(11 * time.Second)
	_, err = w.poll(t, r, start.DeviceCode)
	wantOIDCError[*oidctypes.AuthorizationPendingException](t, err, 400, "authorization_pending")

	// Test-driven: a fault answers slow_down however slowly the client polls.
	w.aws.Fault("CreateToken", FaultSpec{Status: 400, Code: "SlowDownException", Times: 1})
	w.after(time.Minute)
	_, err = w.poll(t, r, start.DeviceCode)
	wantOIDCError[*oidctypes.SlowDownException](t, err, 400, "slow_down")

	// With IgnorePollInterval a stopped clock never slows the client down.
	w.aws.SetSSOSettings(SSOSettings{IgnorePollInterval: true})
	for range 3 {
		_, err = w.poll(t, r, start.DeviceCode)
		wantOIDCError[*oidctypes.AuthorizationPendingException](t, err, 400, "authorization_pending")
	}
}

func TestSSOAutoApproveAndSettings(t *testing.T) {
	w := newWorld(t, WithSSOSettings(SSOSettings{AutoApprove: true, BrowserUser: FixtureSSOOtherUser,
		DeviceCodeLifetime: time.Minute, PollInterval: 3 * time.Second}))
	r := w.register(t, nil)
	start := w.deviceStart(t, r, FixtureSSOStartURL)
	if start.ExpiresIn != 60 || start.Interval != 3 {
		t.Errorf("expires %d, interval %d", start.ExpiresIn, start.Interval)
	}
	tok, err := w.poll(t, r, start.DeviceCode)
	noErr(t, err)
	if _, err := w.roleCreds(t, tok.AccessToken, FixtureRoleAccount, FixtureSSOAdminRole); err != nil {
		t.Errorf("kim's token: %v", err)
	}
	if got := w.aws.SSOSettings(); got.ClientLifetime != 90*24*time.Hour || got.SessionDuration != 8*time.Hour {
		t.Errorf("defaults = %+v", got)
	}
}

func TestSSOStartDeviceAuthorizationRefusals(t *testing.T) {
	w := newWorld(t)
	r := w.register(t, nil)
	_, err := w.oidc().StartDeviceAuthorization(ctx(t), &ssooidc.StartDeviceAuthorizationInput{
		ClientId: aws.String(r.id), ClientSecret: aws.String(r.secret), StartUrl: aws.String("https://d-0000000000.awsapps.com/start")})
	wantOIDCError[*oidctypes.InvalidRequestException](t, err, 400, "invalid_request")
	_, err = w.oidc().StartDeviceAuthorization(ctx(t), &ssooidc.StartDeviceAuthorizationInput{
		ClientId: aws.String(r.id), ClientSecret: aws.String("wrong"), StartUrl: aws.String(FixtureSSOStartURL)})
	wantOIDCError[*oidctypes.InvalidClientException](t, err, 401, "invalid_client")
	pkceOnly := w.pkceClient(t)
	_, err = w.oidc().StartDeviceAuthorization(ctx(t), &ssooidc.StartDeviceAuthorizationInput{
		ClientId: aws.String(pkceOnly.id), ClientSecret: aws.String(pkceOnly.secret), StartUrl: aws.String(FixtureSSOStartURL)})
	wantOIDCError[*oidctypes.UnauthorizedClientException](t, err, 400, "unauthorized_client")
	// A start URL with the trailing "/#" users paste is the same instance.
	w.deviceStart(t, r, FixtureSSOStartURL+"/#")
}

func TestSSOExpiredRegistration(t *testing.T) {
	w := newWorld(t)
	r := w.register(t, nil)
	out, err := w.oidc().RegisterClient(ctx(t), &ssooidc.RegisterClientInput{ClientName: aws.String("x"), ClientType: aws.String("public")})
	noErr(t, err)
	if out.ClientSecretExpiresAt-out.ClientIdIssuedAt != 90*24*3600 || out.ClientIdIssuedAt != w.clock.Now().Unix() {
		t.Errorf("issued %d, expires %d", out.ClientIdIssuedAt, out.ClientSecretExpiresAt)
	}
	start := w.deviceStart(t, r, FixtureSSOStartURL)
	w.after(90 * 24 * time.Hour)
	_, err = w.poll(t, r, start.DeviceCode)
	wantOIDCError[*oidctypes.InvalidClientException](t, err, 401, "invalid_client")

	fresh := w.register(t, nil)
	if n := w.aws.ExpireSSOClients(); n != 1 {
		t.Errorf("ExpireSSOClients = %d, want 1 live", n)
	}
	_, err = w.oidc().StartDeviceAuthorization(ctx(t), &ssooidc.StartDeviceAuthorizationInput{
		ClientId: aws.String(fresh.id), ClientSecret: aws.String(fresh.secret), StartUrl: aws.String(FixtureSSOStartURL)})
	wantOIDCError[*oidctypes.InvalidClientException](t, err, 401, "invalid_client")
}

func TestSSORegisterClientRefusals(t *testing.T) {
	w := newWorld(t)
	for name, tc := range map[string]struct {
		in     ssooidc.RegisterClientInput
		status int
		code   string
	}{
		"confidential client": {ssooidc.RegisterClientInput{ClientType: aws.String("confidential")}, 400, "invalid_client_metadata"},
		"bad scope":           {ssooidc.RegisterClientInput{Scopes: []string{"all the things"}}, 400, "invalid_scope"},
		"bad grant":           {ssooidc.RegisterClientInput{GrantTypes: []string{"password"}}, 400, "invalid_client_metadata"},
		"remote redirect": {ssooidc.RegisterClientInput{GrantTypes: []string{grantAuthCode},
			RedirectUris: []string{"https://evil.example/cb"}, IssuerUrl: aws.String(FixtureSSOStartURL)}, 400, "invalid_redirect_uri"},
		"code grant, no redirect": {ssooidc.RegisterClientInput{GrantTypes: []string{grantAuthCode},
			IssuerUrl: aws.String(FixtureSSOStartURL)}, 400, "invalid_client_metadata"},
		"unknown issuer": {ssooidc.RegisterClientInput{GrantTypes: []string{grantAuthCode},
			RedirectUris: []string{"http://127.0.0.1/oauth/callback"}, IssuerUrl: aws.String("https://nope.awsapps.com/start")}, 400, "invalid_request"},
	} {
		in := tc.in
		if in.ClientName == nil {
			in.ClientName = aws.String("aws-vault")
		}
		if in.ClientType == nil {
			in.ClientType = aws.String("public")
		}
		_, err := w.oidc().RegisterClient(ctx(t), &in)
		if code := oauthError(err); code != tc.code {
			t.Errorf("%s: error %v (code %q), want %s", name, err, code, tc.code)
		}
	}
}
