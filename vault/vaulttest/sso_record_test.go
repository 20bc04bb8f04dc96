package vaulttest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	oidctypes "github.com/aws/aws-sdk-go-v2/service/ssooidc/types"
	"github.com/aws/smithy-go"
)

func TestSSORecording(t *testing.T) {
	w := newWorld(t)
	r := w.pkceClient(t)
	tok := w.pkceToken(t, r)
	_, err := w.refresh(t, r, tok.RefreshToken)
	noErr(t, err)
	dev := w.register(t, nil)
	dtok := w.deviceToken(t, dev)
	_, err = w.roleCreds(t, dtok.AccessToken, FixtureAccount, FixtureSSODeveloperRole)
	noErr(t, err)

	var got []string
	for _, req := range w.aws.Requests() {
		line := req.Service + " " + req.Action
		for _, k := range []string{"ClientName", "ClientType", "GrantTypes", "Scopes", "IssuerUrl", "GrantType", "StartUrl",
			"CodeChallengeMethod", "AccountId", "RoleName", "User"} {
			if v := req.Params[k]; v != "" {
				line += " " + k + "=" + v
			}
		}
		got = append(got, line+" -> "+req.Code)
	}
	want := []string{
		"sso-oidc RegisterClient ClientName=aws-vault ClientType=public GrantTypes=authorization_code,refresh_token Scopes=sso:account:access IssuerUrl=" + FixtureSSOStartURL + " -> OK",
		"sso-oidc Authorize Scopes=sso:account:access CodeChallengeMethod=S256 User=jane -> OK",
		"sso-oidc CreateToken GrantType=authorization_code User=jane -> OK",
		"sso-oidc CreateToken GrantType=refresh_token User=jane -> OK",
		"sso-oidc RegisterClient ClientName=aws-vault ClientType=public -> OK",
		"sso-oidc StartDeviceAuthorization StartUrl=" + FixtureSSOStartURL + " -> OK",
		"sso-oidc CreateToken GrantType=" + grantDeviceCode + " User=jane -> OK",
		"sso GetRoleCredentials AccountId=111111111111 RoleName=Developer User=jane -> OK",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("recorded:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// No secret is ever recorded.
	var secrets []string
	for _, tk := range w.aws.SSOTokens() {
		secrets = append(secrets, tk.AccessToken, tk.RefreshToken)
	}
	secrets = append(secrets, r.secret, dev.secret)
	for _, req := range w.aws.Requests() {
		for k, v := range req.Params {
			for _, s := range secrets {
				if s != "" && strings.Contains(v, s) {
					t.Errorf("%s recorded a secret in %s", req.Action, k)
				}
			}
		}
	}
}

func TestSSOFaults(t *testing.T) {
	w := newWorld(t)
	r := w.register(t, nil)
	tok := w.deviceToken(t, r)

	w.aws.Fault("GetRoleCredentials", FaultSpec{Status: 429, Code: "TooManyRequestsException", Times: 1})
	_, err := w.roleCreds(t, tok.AccessToken, FixtureAccount, FixtureSSODeveloperRole)
	wantAPIError(t, err, 429, "TooManyRequestsException", "")

	w.aws.Fault("CreateToken", FaultSpec{Status: 500, Code: "InternalServerException", Times: 1})
	start := w.deviceStart(t, r, FixtureSSOStartURL)
	_, err = w.poll(t, r, start.DeviceCode)
	var ise *oidctypes.InternalServerException
	if !errors.As(err, &ise) || aws.ToString(ise.Error_) != "server_error" {
		t.Errorf("500: %v", err)
	}

	w.aws.Fault("GetRoleCredentials", FaultSpec{MalformedBody: true, Times: 1})
	_, err = w.roleCreds(t, tok.AccessToken, FixtureAccount, FixtureSSODeveloperRole)
	var de *smithy.DeserializationError
	if !errors.As(err, &de) {
		t.Errorf("malformed body: %v", err)
	}

	w.aws.Fault("GetRoleCredentials", FaultSpec{AnswerFault: AnswerFault{ExpiredBy: time.Hour}, Times: 1})
	out, err := w.roleCreds(t, tok.AccessToken, FixtureAccount, FixtureSSODeveloperRole)
	noErr(t, err)
	if exp := time.UnixMilli(out.RoleCredentials.Expiration); !exp.Before(w.clock.Now()) {
		t.Errorf("expired answer expires %v", exp)
	}
	if _, err := w.sts(ssoKeys(out)).GetCallerIdentity(ctx(t), nil); err == nil {
		t.Error("made-up credentials accepted")
	}

	w.aws.Fault("RegisterClient", FaultSpec{ResetConnection: true, Times: 1})
	if _, err := w.oidc().RegisterClient(ctx(t), ssooidcRegister{}.input()); err == nil {
		t.Error("reset connection answered")
	}
	if got := w.aws.RequestsFor("RegisterClient"); got[len(got)-1].Code != "ConnectionReset" {
		t.Errorf("recorded %+v", got[len(got)-1])
	}
}
