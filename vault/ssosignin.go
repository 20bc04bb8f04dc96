package vault

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	oidctypes "github.com/aws/aws-sdk-go-v2/service/ssooidc/types"
)

// The OAuth 2.0 grants of SSO OIDC.
const (
	grantDeviceCode   = "urn:ietf:params:oauth:grant-type:device_code"
	grantAuthCode     = "authorization_code"
	grantRefreshToken = "refresh_token"
)

// What a client registration is for (OIDCClient.Flow).
const (
	ssoFlowPKCE   = "authorization_code"
	ssoFlowDevice = "device_code"
)

// Device code flow timing (RFC 8628 §3.5): the interval when the server
// gives none, and what each slow_down adds.
const (
	defaultPollInterval = 5 * time.Second
	slowDownStep        = 5 * time.Second
)

// errNoBrowser wraps the reason no browser could open the authorize URL.
type errNoBrowser struct{ err error }

func (e *errNoBrowser) Error() string { return "no browser could start: " + e.err.Error() }

// signIn signs the user in to the profile's start URL: in the browser
// with the authorization code flow and PKCE for sso-session profiles, as
// the AWS CLI v2 does; with the device code flow, as aws-vault v7 does, for
// legacy profiles, with --stdout, with AWS_VAULT_SSO_DEVICE_CODE=1, and
// when no browser can start.
func (s *ssoProvider) signIn(ctx context.Context, oidc *ssooidc.Client, reuse *OIDCClient) (*OIDCToken, error) {
	opts := s.b.chain.opts.SSO
	if opts.User == nil {
		return nil, fmt.Errorf("profile %s: signing in to %s needs a person at a browser", s.sp.profile, s.sp.startURL)
	}
	if s.sp.session != "" && !opts.Print && !opts.DeviceCode {
		tok, err := s.pkceSignIn(ctx, oidc, reuse)
		var nb *errNoBrowser
		if !errors.As(err, &nb) {
			return tok, err
		}
		s.logf("%v; signing in with a code instead", nb)
		return s.deviceSignIn(ctx, oidc, reuse, false)
	}
	return s.deviceSignIn(ctx, oidc, reuse, !opts.Print)
}

// register returns a client registration for flow: reuse, when it is for
// the same flow and scopes and has not expired, else a new one
// (RegisterClient, client name aws-vault, public). A legacy profile's
// device flow registers as aws-vault v7 does, without scopes; an
// sso-session's asks for its scopes and the refresh grant.
func (s *ssoProvider) register(ctx context.Context, oidc *ssooidc.Client, flow string, reuse *OIDCClient) (*OIDCClient, error) {
	now := s.b.chain.opts.Now()
	if reuse.valid(now) && reuse.Flow == flow && slices.Equal(reuse.Scopes, s.sp.scopes) {
		s.logf("reusing the SSO OIDC client registration (expires %s)", rfc3339(reuse.Expiration))
		return reuse, nil
	}
	in := &ssooidc.RegisterClientInput{ClientName: aws.String("aws-vault"), ClientType: aws.String("public"), Scopes: s.sp.scopes}
	switch {
	case flow == ssoFlowPKCE:
		in.GrantTypes = []string{grantAuthCode, grantRefreshToken}
		in.RedirectUris = []string{"http://127.0.0.1" + callbackPath}
		in.IssuerUrl = aws.String(s.sp.startURL)
	case s.sp.session != "":
		in.GrantTypes = []string{grantDeviceCode, grantRefreshToken}
	}
	out, err := oidc.RegisterClient(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("profile %s: SSO OIDC RegisterClient for %s: %w", s.sp.profile, s.sp.startURL, err)
	}
	c := &OIDCClient{ID: aws.ToString(out.ClientId), Secret: aws.ToString(out.ClientSecret),
		Expiration: time.Unix(out.ClientSecretExpiresAt, 0), Flow: flow, Scopes: s.sp.scopes}
	s.logf("registered an SSO OIDC client (expires %s)", rfc3339(c.Expiration))
	return c, nil
}

// deviceSignIn is the device code flow (RFC 8628): the user approves a
// code on a page of IAM Identity Center (opened in the browser unless
// told to print it), while CreateToken is polled at the server's interval
// until the code expires.
func (s *ssoProvider) deviceSignIn(ctx context.Context, oidc *ssooidc.Client, reuse *OIDCClient, browser bool) (*OIDCToken, error) {
	client, err := s.register(ctx, oidc, ssoFlowDevice, reuse)
	if err != nil {
		return nil, err
	}
	start, err := oidc.StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{
		ClientId: aws.String(client.ID), ClientSecret: aws.String(client.Secret), StartUrl: aws.String(s.sp.startURL),
	})
	if err != nil {
		return nil, fmt.Errorf("profile %s: SSO OIDC StartDeviceAuthorization for %s: %w", s.sp.profile, s.sp.startURL, err)
	}
	lifetime := time.Duration(start.ExpiresIn) * time.Second
	if lifetime <= 0 {
		lifetime = SSOSignInTimeout
	}
	s.logf("signing in to %s with a device code (valid %s)", s.sp.startURL, lifetime)
	page := aws.ToString(start.VerificationUriComplete)
	if page == "" {
		page = aws.ToString(start.VerificationUri)
	}
	signIn := SSOSignIn{Profile: s.sp.profile, StartURL: s.sp.startURL, URL: page, UserCode: aws.ToString(start.UserCode), Browser: browser}
	if err := s.b.chain.opts.SSO.User.SignIn(ctx, signIn); err != nil {
		s.logf("%v", err) // the URL is printed: the user can open it
	}
	interval := defaultPollInterval
	if start.Interval > 0 {
		interval = time.Duration(start.Interval) * time.Second
	}
	pollCtx, cancel := context.WithTimeout(ctx, lifetime)
	defer cancel()
	return s.pollDevice(ctx, pollCtx, oidc, client, start.DeviceCode, interval, lifetime)
}

// pollDevice polls CreateToken: authorization_pending waits an interval,
// slow_down adds 5 s to it, and a denied or expired code ends the sign-in
// naming the start URL. pollCtx ends when the code does.
func (s *ssoProvider) pollDevice(ctx, pollCtx context.Context, oidc *ssooidc.Client, client *OIDCClient,
	deviceCode *string, interval, lifetime time.Duration) (*OIDCToken, error) {
	in := &ssooidc.CreateTokenInput{ClientId: aws.String(client.ID), ClientSecret: aws.String(client.Secret),
		GrantType: aws.String(grantDeviceCode), DeviceCode: deviceCode}
	for {
		out, err := oidc.CreateToken(pollCtx, in)
		var pending *oidctypes.AuthorizationPendingException
		var slow *oidctypes.SlowDownException
		var denied *oidctypes.AccessDeniedException
		var expired *oidctypes.ExpiredTokenException
		switch {
		case err == nil:
			return s.newToken(out, client)
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case errors.As(err, &expired) || pollCtx.Err() != nil:
			return nil, fmt.Errorf("profile %s: the SSO sign-in for %s was not approved before its code expired (after %s); run the command again",
				s.sp.profile, s.sp.startURL, lifetime)
		case errors.As(err, &denied):
			return nil, s.deniedError()
		case errors.As(err, &slow):
			interval += slowDownStep
		case !errors.As(err, &pending):
			return nil, fmt.Errorf("profile %s: SSO sign-in for %s: %w", s.sp.profile, s.sp.startURL, err)
		}
		select {
		case <-pollCtx.Done():
		case <-time.After(interval):
		}
	}
}

// newToken converts a CreateToken answer of a sign-in.
func (s *ssoProvider) newToken(out *ssooidc.CreateTokenOutput, client *OIDCClient) (*OIDCToken, error) {
	if aws.ToString(out.AccessToken) == "" {
		return nil, fmt.Errorf("profile %s: SSO sign-in for %s: CreateToken answered without a token", s.sp.profile, s.sp.startURL)
	}
	tok := tokenFrom(out, s.b.chain.opts.Now(), client)
	s.logf("signed in to %s (token expires %s, refreshable %s)", s.sp.startURL, rfc3339(tok.Expiration), yesNo(tok.RefreshToken != ""))
	return tok, nil
}

func (s *ssoProvider) deniedError() error {
	return fmt.Errorf("profile %s: the SSO sign-in for %s was denied", s.sp.profile, s.sp.startURL)
}
