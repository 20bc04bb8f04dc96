package vaulttest

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/sso/types"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

func TestSSOGetRoleCredentials(t *testing.T) {
	w := newWorld(t)
	tok := w.deviceToken(t, w.register(t, nil)).AccessToken
	out, err := w.roleCreds(t, tok, FixtureRoleAccount, FixtureSSODeveloperRole)
	noErr(t, err)
	rc := out.RoleCredentials
	if !strings.HasPrefix(aws.ToString(rc.AccessKeyId), "ASIA") || rc.Expiration != w.clock.Now().Add(time.Hour).Truncate(time.Second).UnixMilli() {
		t.Errorf("credentials %s expiring %d", aws.ToString(rc.AccessKeyId), rc.Expiration)
	}
	issued := w.aws.IssuedCredentials()
	if c := issued[len(issued)-1]; c.Kind != KindSSO || c.RoleARN != SSORoleARN(FixtureSSORegion, FixtureSSOStartURL, FixtureRoleAccount, FixtureSSODeveloperRole) ||
		!strings.HasPrefix(c.RoleARN, "arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/eu-central-1/AWSReservedSSO_Developer_") {
		t.Errorf("issued %+v", c)
	}

	// 403 for a role or an account the user is not assigned.
	for _, ar := range [][2]string{{FixtureRoleAccount, FixtureSSOAdminRole}, {FixtureDeployAccount, FixtureSSODeveloperRole}, {FixtureAccount, "Nope"}} {
		_, err := w.roleCreds(t, tok, ar[0], ar[1])
		wantAPIError(t, err, 403, "ForbiddenException", msgPortalForbidden)
	}
	// 401 for an unknown, revoked or expired token.
	_, err = w.roleCreds(t, aws.String("aoa-not-a-token"), FixtureAccount, FixtureSSODeveloperRole)
	wantAPIError(t, err, 401, "UnauthorizedException", msgPortalUnauthorized)
	var unauth *ssotypes.UnauthorizedException
	if !errors.As(err, &unauth) {
		t.Errorf("not typed: %T", err)
	}
	other := w.deviceToken(t, w.register(t, nil)).AccessToken
	noErr(t, errOrNil(w.aws.RevokeSSOToken(aws.ToString(other))))
	_, err = w.roleCreds(t, other, FixtureAccount, FixtureSSODeveloperRole)
	wantAPIError(t, err, 401, "UnauthorizedException", msgPortalUnauthorized)
	if n := w.aws.ExpireSSOAccessTokens(); n != 1 {
		t.Errorf("expired %d live tokens, want 1", n)
	}
	_, err = w.roleCreds(t, tok, FixtureAccount, FixtureSSODeveloperRole)
	wantAPIError(t, err, 401, "UnauthorizedException", msgPortalUnauthorized)
}

// errOrNil turns "was it known" into an error.
func errOrNil(known bool) error {
	if !known {
		return errors.New("unknown token")
	}
	return nil
}

func TestSSORoleCredentialsAreRealCredentials(t *testing.T) {
	w := newWorld(t)
	tok := w.deviceToken(t, w.register(t, nil)).AccessToken
	out, err := w.roleCreds(t, tok, FixtureAccount, FixtureSSODeveloperRole)
	noErr(t, err)
	k := ssoKeys(out)
	want := "arn:aws:sts::111111111111:assumed-role/" + reservedRoleName(FixtureSSOStartURL, FixtureAccount, FixtureSSODeveloperRole) + "/jane"
	if got := w.callerARN(t, k); got != want {
		t.Errorf("caller %s, want %s", got, want)
	}
	// Role chaining on top of SSO: ReadOnly trusts account 111111111111,
	// Deploy trusts ReadOnly; the 1-hour chaining cap applies.
	ro := w.assume(t, k, ReadOnlyRoleARN)
	if got := w.callerARN(t, w.assume(t, ro, DeployRoleARN)); got != "arn:aws:sts::333333333333:assumed-role/Deploy/test" {
		t.Errorf("chained caller %s", got)
	}
	_, err = w.sts(k).AssumeRole(ctx(t), &sts.AssumeRoleInput{RoleArn: aws.String(ReadOnlyRoleARN),
		RoleSessionName: aws.String("xx"), DurationSeconds: aws.Int32(7200)})
	wantAPIError(t, err, 400, "ValidationError", msgChainedDuration)
	_, err = w.sts(k).GetSessionToken(ctx(t), &sts.GetSessionTokenInput{})
	wantAPIError(t, err, 403, "AccessDenied", "")
	// Expired with the permission set's session.
	w.after(time.Hour)
	_, err = w.sts(k).GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{})
	if err == nil {
		t.Error("SSO role credentials outlived their hour")
	}
}

func TestSSOListAccountsAndRolesAndLogout(t *testing.T) {
	w := newWorld(t)
	r := w.register(t, ssooidcRegister{scopes: []string{scopeAccountAccess}}.input())
	tok := w.deviceToken(t, r)
	accts, err := w.portal().ListAccounts(ctx(t), &sso.ListAccountsInput{AccessToken: tok.AccessToken, MaxResults: aws.Int32(1)})
	noErr(t, err)
	if len(accts.AccountList) != 1 || aws.ToString(accts.AccountList[0].AccountId) != FixtureAccount ||
		aws.ToString(accts.AccountList[0].AccountName) != "identity" || accts.NextToken == nil {
		t.Errorf("first page %+v", accts)
	}
	accts, err = w.portal().ListAccounts(ctx(t), &sso.ListAccountsInput{AccessToken: tok.AccessToken, NextToken: accts.NextToken})
	noErr(t, err)
	if len(accts.AccountList) != 1 || aws.ToString(accts.AccountList[0].AccountId) != FixtureRoleAccount || accts.NextToken != nil {
		t.Errorf("second page %+v", accts)
	}
	roles, err := w.portal().ListAccountRoles(ctx(t), &sso.ListAccountRolesInput{AccessToken: tok.AccessToken, AccountId: aws.String(FixtureAccount)})
	noErr(t, err)
	if len(roles.RoleList) != 2 || aws.ToString(roles.RoleList[1].RoleName) != FixtureSSOViewOnlyRole {
		t.Errorf("roles %+v", roles.RoleList)
	}
	_, err = w.portal().ListAccountRoles(ctx(t), &sso.ListAccountRolesInput{AccessToken: tok.AccessToken, AccountId: aws.String(FixtureDeployAccount)})
	wantAPIError(t, err, 404, "ResourceNotFoundException", "")

	_, err = w.portal().Logout(ctx(t), &sso.LogoutInput{AccessToken: tok.AccessToken})
	noErr(t, err)
	_, err = w.roleCreds(t, tok.AccessToken, FixtureAccount, FixtureSSODeveloperRole)
	wantAPIError(t, err, 401, "UnauthorizedException", "")
	if _, err = w.refresh(t, r, tok.RefreshToken); oauthError(err) != "invalid_grant" {
		t.Errorf("refresh after logout: %v", err)
	}
}

func TestSSOThroughTheProxy(t *testing.T) {
	w := newWorld(t)
	p := NewTestProxy(t, w.aws)
	client := proxyClient(t, p)
	oidc := ssooidc.NewFromConfig(w.ssoConfig(FixtureSSORegion, client))
	reg, err := oidc.RegisterClient(ctx(t), &ssooidc.RegisterClientInput{ClientName: aws.String("aws-vault"), ClientType: aws.String("public")})
	noErr(t, err)
	start, err := oidc.StartDeviceAuthorization(ctx(t), &ssooidc.StartDeviceAuthorizationInput{ClientId: reg.ClientId,
		ClientSecret: reg.ClientSecret, StartUrl: aws.String(FixtureSSOStartURL)})
	noErr(t, err)
	if got := aws.ToString(start.VerificationUri); got != "https://device.sso.eu-central-1.amazonaws.com/" {
		t.Errorf("verificationUri %s", got)
	}
	// The user opens the verification page through the proxy and allows.
	v, err := (&Browser{Client: client}).Open(ctx(t), aws.ToString(start.VerificationUriComplete))
	noErr(t, err)
	if v.Status != 200 {
		t.Errorf("device page %d", v.Status)
	}
	tok, err := oidc.CreateToken(ctx(t), &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret,
		GrantType: aws.String(grantDeviceCode), DeviceCode: start.DeviceCode})
	noErr(t, err)
	_, err = sso.NewFromConfig(w.ssoConfig(FixtureSSORegion, client)).GetRoleCredentials(ctx(t), &sso.GetRoleCredentialsInput{
		AccessToken: tok.AccessToken, AccountId: aws.String(FixtureAccount), RoleName: aws.String(FixtureSSODeveloperRole)})
	noErr(t, err)

	// The token and the start URL belong to eu-central-1: another region's
	// hosts refuse them.
	_, err = sso.NewFromConfig(w.ssoConfig("us-east-1", client)).GetRoleCredentials(ctx(t), &sso.GetRoleCredentialsInput{
		AccessToken: tok.AccessToken, AccountId: aws.String(FixtureAccount), RoleName: aws.String(FixtureSSODeveloperRole)})
	wantAPIError(t, err, 401, "UnauthorizedException", "")
	_, err = ssooidc.NewFromConfig(w.ssoConfig("us-east-1", client)).StartDeviceAuthorization(ctx(t), &ssooidc.StartDeviceAuthorizationInput{
		ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, StartUrl: aws.String(FixtureSSOStartURL)})
	if oauthError(err) != "invalid_client" {
		t.Errorf("client of eu-central-1 at us-east-1: %v", err)
	}
	var hosts []string
	for _, r := range w.aws.Requests() {
		hosts = append(hosts, r.Host+" "+r.Service+" "+r.Action+" "+r.Code)
	}
	want := []string{
		"oidc.eu-central-1.amazonaws.com sso-oidc RegisterClient OK",
		"oidc.eu-central-1.amazonaws.com sso-oidc StartDeviceAuthorization OK",
		"device.sso.eu-central-1.amazonaws.com sso-device VerifyDevice OK",
		"oidc.eu-central-1.amazonaws.com sso-oidc CreateToken OK",
		"portal.sso.eu-central-1.amazonaws.com sso GetRoleCredentials OK",
		"portal.sso.us-east-1.amazonaws.com sso GetRoleCredentials UnauthorizedException",
		"oidc.us-east-1.amazonaws.com sso-oidc StartDeviceAuthorization InvalidClientException",
	}
	if strings.Join(hosts, "\n") != strings.Join(want, "\n") {
		t.Errorf("recorded:\n%s\nwant:\n%s", strings.Join(hosts, "\n"), strings.Join(want, "\n"))
	}
	for _, host := range []string{"oidc.cn-north-1.amazonaws.com.cn", "portal.sso.us-gov-west-1.amazonaws.com", "device.sso.eusc-de-east-1.amazonaws.eu"} {
		resp, err := client.Get("https://" + host + "/nothing-here")
		noErr(t, err)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", host, resp.StatusCode)
		}
	}
}
