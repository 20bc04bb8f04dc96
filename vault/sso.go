package vault

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/awsvault/aws-vault/vault/config"
)

// SSOOptions are the chain's settings for IAM Identity Center sign-ins.
type SSOOptions struct {
	// User shows the sign-in instructions and opens the browser; nil means
	// no one can sign in (the sign-in is an error).
	User SSOUser
	// Print prints the sign-in URL instead of opening a browser
	// (--stdout), which means the device code flow.
	Print bool
	// DeviceCode uses the device code flow for sso-session profiles too
	// (AWS_VAULT_SSO_DEVICE_CODE=1).
	DeviceCode bool
	// AWSCLICache is the AWS CLI's token cache directory
	// (~/.aws/sso/cache), read only; "" reads none.
	AWSCLICache string
	// Lock serialises getting a token for one start URL across processes,
	// so that concurrent callers share one sign-in; nil uses
	// ChainOptions.Lock.
	Lock func(ctx context.Context, startURL string) (unlock func(), err error)
}

// SSOSignIn is what a user signing in is told.
type SSOSignIn struct {
	Profile  string
	StartURL string
	// URL is the page to open: the authorize URL, or the device
	// verification URL with the user code in it. Both are secrets to
	// every log, error and file: only the browser and the user see them.
	URL string
	// UserCode is the device code flow's code ("" for the authorization
	// code flow).
	UserCode string
	// Browser says to open URL in a browser; else it is printed.
	Browser bool
}

// SSOUser is the person signing in, as the command line reaches them.
type SSOUser interface {
	// SignIn shows the instructions (on stderr) and, when s.Browser, opens
	// a browser on s.URL. It fails only when s.Browser and no browser
	// could start.
	SignIn(ctx context.Context, s SSOSignIn) error
}

// SSOSignInTimeout bounds a sign-in in the browser (the authorization
// code flow; the device code flow ends when its code expires), and so how
// long other callers wait for it.
const SSOSignInTimeout = 10 * time.Minute

// ssoProvider gets a profile's role credentials from the SSO portal
// (GetRoleCredentials in sso_region) with an SSO OIDC access token, as
// aws-vault v7's SSORoleCredentialsProvider does, from the first source
// that has one: the keyring, the AWS CLI's cache, a refresh, a sign-in.
type ssoProvider struct {
	b  *builder
	p  *config.Profile
	sp *ssoProfile
}

// sso builds the (cached) SSO step of profile p.
func (b *builder) sso(p *config.Profile) (aws.CredentialsProvider, string, error) {
	sp, err := newSSOProfile(p)
	if err != nil {
		return nil, "", err
	}
	b.chain.opts.Logf("profile %s: using SSO role %s in account %s through %s", p.ProfileName, sp.role, sp.account, sp.startURL)
	inner := &ssoProvider{b: b, p: p, sp: sp}
	b.plan(PlanStep{Kind: KindSSO, Action: "GetRoleCredentials", Source: "IAM Identity Center at " + sp.startURL,
		SSOStartURL: sp.startURL, SSOAccount: sp.account, SSORole: sp.role, Region: sp.region}, p)
	b.planSSOToken(sp)
	return b.cachedSSO(p, sp, inner), KindSSO, nil
}

// ssoClients are the two services a token and role credentials come from.
type ssoClients struct {
	oidc   *ssooidc.Client
	portal *sso.Client
}

func (s *ssoProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	oidc, portal, err := s.b.chain.opts.AWS.ssoClients(ctx, s.p, s.sp.region)
	if err != nil {
		return aws.Credentials{}, err
	}
	src := &tokenSources{s: s, c: ssoClients{oidc, portal}}
	for {
		tok, err := src.nextToken(ctx)
		if err != nil {
			return aws.Credentials{}, err
		}
		creds, err := s.roleCredentials(ctx, portal, tok)
		if err == nil {
			s.b.record(Step{Kind: KindSSO, Profile: s.p.ProfileName})
		}
		if err == nil || !isUnauthorized(err) || src.last() {
			return creds, err
		}
		s.logf("the SSO portal refused the token from %s (401 Unauthorized); trying the next source", src.from)
		src.refused()
	}
}

// roleCredentials calls GetRoleCredentials with token.
func (s *ssoProvider) roleCredentials(ctx context.Context, portal *sso.Client, token string) (aws.Credentials, error) {
	s.logf("calling GetRoleCredentials for role %s in account %s (%s)", s.sp.role, s.sp.account, s.sp.region)
	out, err := portal.GetRoleCredentials(ctx, &sso.GetRoleCredentialsInput{
		AccessToken: aws.String(token), AccountId: aws.String(s.sp.account), RoleName: aws.String(s.sp.role),
	})
	switch {
	case err != nil && httpStatus(err) == http.StatusForbidden:
		return aws.Credentials{}, fmt.Errorf("profile %s: IAM Identity Center at %s does not give you role %s in account %s (%s); check sso_account_id and sso_role_name",
			s.sp.profile, s.sp.startURL, s.sp.role, s.sp.account, errorCodeOr(err, "Forbidden"))
	case err != nil:
		return aws.Credentials{}, err
	case out.RoleCredentials == nil:
		return aws.Credentials{}, fmt.Errorf("profile %s: GetRoleCredentials: AWS answered without credentials", s.sp.profile)
	}
	rc := out.RoleCredentials
	return s.b.issued(s.p, "GetRoleCredentials", &ststypes.Credentials{
		AccessKeyId: rc.AccessKeyId, SecretAccessKey: rc.SecretAccessKey, SessionToken: rc.SessionToken,
		Expiration: aws.Time(time.UnixMilli(rc.Expiration)),
	}, out.ResultMetadata, KindSSO)
}

func (s *ssoProvider) logf(format string, args ...any) {
	s.b.chain.opts.Logf("profile %s: "+format, append([]any{s.sp.profile}, args...)...)
}

// cachedSSO caches the SSO step as aws-vault v7 does (session type
// sso.GetRoleCredentials, keyed by profile and start URL), and takes the
// start URL's lock rather than the profile's: callers of every profile
// behind one start URL then wait for one sign-in, and each says so.
func (b *builder) cachedSSO(p *config.Profile, sp *ssoProfile, inner *ssoProvider) aws.CredentialsProvider {
	cp, ok := b.cached(p, KindSSO, sp.keyURL, ssoFingerprint(sp), inner).(*cachedProvider)
	if !ok {
		return inner // no cache (rotate)
	}
	opts := b.chain.opts
	switch {
	case opts.SSO.Lock != nil:
		cp.lock = func(ctx context.Context) (func(), error) { return opts.SSO.Lock(ctx, sp.keyURL) }
	case opts.Lock != nil:
		cp.lock = func(ctx context.Context) (func(), error) { return opts.Lock(ctx, oidcKey(sp.keyURL), p.ProfileName) }
	}
	return cp
}

// ssoFingerprint identifies the role a cached SSO session is for, so a
// changed sso_account_id or sso_role_name is never served the old role.
// aws-vault v7's items carry none and are served as they are.
func ssoFingerprint(sp *ssoProfile) string {
	return fingerprint(sp.account, sp.role, sp.region)
}

// isUnauthorized reports whether AWS answered 401.
func isUnauthorized(err error) bool { return httpStatus(err) == http.StatusUnauthorized }

// httpStatus is the HTTP status of AWS's answer in err, or 0.
func httpStatus(err error) int {
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// errorCodeOr is err's AWS error code, or def.
func errorCodeOr(err error, def string) string {
	if code := APIErrorCode(err); code != "" {
		return code
	}
	return def
}
