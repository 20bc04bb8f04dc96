package vault

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	oidctypes "github.com/aws/aws-sdk-go-v2/service/ssooidc/types"
)

// grantDeviceCode is the OAuth 2.0 device code grant (RFC 8628).
const grantDeviceCode = "urn:ietf:params:oauth:grant-type:device_code"

// Device code flow timing (RFC 8628 §3.5): the interval when the server
// gives none, and what each slow_down adds.
const (
	defaultPollInterval = 5 * time.Second
	slowDownStep        = 5 * time.Second
)

// signIn signs the user in to the profile's start URL with the device code
// flow, as aws-vault v7 does.
func (s *ssoProvider) signIn(ctx context.Context, oidc *ssooidc.Client) (*OIDCToken, error) {
	opts := s.b.chain.opts.SSO
	if opts.User == nil {
		return nil, fmt.Errorf("profile %s: signing in to %s needs a person at a browser", s.sp.profile, s.sp.startURL)
	}
	return s.deviceSignIn(ctx, oidc, !opts.Print)
}

// register registers a client as aws-vault v7 does (RegisterClient,
// client name aws-vault, public, no scopes).
func (s *ssoProvider) register(ctx context.Context, oidc *ssooidc.Client) (*registration, error) {
	out, err := oidc.RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("aws-vault"), ClientType: aws.String("public")})
	if err != nil {
		return nil, fmt.Errorf("profile %s: SSO OIDC RegisterClient for %s: %w", s.sp.profile, s.sp.startURL, err)
	}
	c := &registration{ID: aws.ToString(out.ClientId), Secret: aws.ToString(out.ClientSecret)}
	s.logf("registered an SSO OIDC client (expires %s)", rfc3339(time.Unix(out.ClientSecretExpiresAt, 0)))
	return c, nil
}

// registration is an SSO OIDC client registration.
type registration struct{ ID, Secret string }

// deviceSignIn is the device code flow (RFC 8628): the user approves a
// code on a page of IAM Identity Center (opened in the browser unless
// told to print it), while CreateToken is polled at the server's interval
// until the code expires.
func (s *ssoProvider) deviceSignIn(ctx context.Context, oidc *ssooidc.Client, browser bool) (*OIDCToken, error) {
	client, err := s.register(ctx, oidc)
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
func (s *ssoProvider) pollDevice(ctx, pollCtx context.Context, oidc *ssooidc.Client, client *registration,
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
			return s.newToken(out)
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
func (s *ssoProvider) newToken(out *ssooidc.CreateTokenOutput) (*OIDCToken, error) {
	if aws.ToString(out.AccessToken) == "" {
		return nil, fmt.Errorf("profile %s: SSO sign-in for %s: CreateToken answered without a token", s.sp.profile, s.sp.startURL)
	}
	tok := tokenFrom(out, s.b.chain.opts.Now())
	s.logf("signed in to %s (token expires %s)", s.sp.startURL, rfc3339(tok.Expiration))
	return tok, nil
}

func (s *ssoProvider) deniedError() error {
	return fmt.Errorf("profile %s: the SSO sign-in for %s was denied", s.sp.profile, s.sp.startURL)
}
