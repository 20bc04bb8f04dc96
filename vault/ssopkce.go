package vault

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
)

// pkceSignIn is the authorization code flow with PKCE (RFC 6749 §4.1,
// RFC 7636, RFC 8252) as the AWS CLI v2 signs in: the browser opens the
// authorize URL with an S256 challenge and a random state; IAM Identity
// Center sends it back to a one-request listener on 127.0.0.1 with a code,
// which is exchanged with the verifier. An errNoBrowser means nothing was
// opened (the caller falls back to the device code flow).
func (s *ssoProvider) pkceSignIn(ctx context.Context, oidc *ssooidc.Client, reuse *OIDCClient) (*OIDCToken, error) {
	client, err := s.register(ctx, oidc, ssoFlowPKCE, reuse)
	if err != nil {
		return nil, err
	}
	cb, err := listenCallback()
	if err != nil {
		return nil, fmt.Errorf("profile %s: SSO sign-in: listening for the browser: %w", s.sp.profile, err)
	}
	defer cb.close()
	verifier, state := randomToken(), randomToken()
	cb.state = state
	authorize, err := s.authorizeURL(ctx, oidc, client, cb.redirectURI(), state, s256(verifier))
	if err != nil {
		return nil, err
	}
	go cb.serve()
	s.logf("signing in to %s in the browser (authorization code with PKCE; redirect to %s)", s.sp.startURL, cb.addr())
	signIn := SSOSignIn{Profile: s.sp.profile, StartURL: s.sp.startURL, URL: authorize, Browser: true}
	if err := s.b.chain.opts.SSO.User.SignIn(ctx, signIn); err != nil {
		return nil, &errNoBrowser{err}
	}
	code, err := s.awaitCode(ctx, cb)
	if err != nil {
		return nil, err
	}
	out, err := oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{
		ClientId: aws.String(client.ID), ClientSecret: aws.String(client.Secret), GrantType: aws.String(grantAuthCode),
		Code: aws.String(code), CodeVerifier: aws.String(verifier), RedirectUri: aws.String(cb.redirectURI()),
	})
	if err != nil {
		return nil, fmt.Errorf("profile %s: SSO sign-in for %s: exchanging the code: %w", s.sp.profile, s.sp.startURL, err)
	}
	return s.newToken(out, client)
}

// awaitCode waits, at most SSOSignInTimeout, for the browser's one request
// to the redirect URI, and returns its code.
func (s *ssoProvider) awaitCode(ctx context.Context, cb *callback) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, SSOSignInTimeout)
	defer cancel()
	var r callbackResult
	select {
	case <-ctx.Done():
		if err := context.Cause(ctx); err != context.DeadlineExceeded {
			return "", err
		}
		return "", fmt.Errorf("profile %s: no SSO sign-in for %s within %s; run the command again", s.sp.profile, s.sp.startURL, SSOSignInTimeout)
	case r = <-cb.result:
	}
	switch {
	case r.wrongState:
		return "", fmt.Errorf("profile %s: the SSO sign-in for %s was refused: the browser came back with another sign-in's state (a stale or forged page); nothing was stored",
			s.sp.profile, s.sp.startURL)
	case r.oauthError == "access_denied":
		return "", s.deniedError()
	case r.oauthError != "":
		return "", fmt.Errorf("profile %s: the SSO sign-in for %s failed (%s)", s.sp.profile, s.sp.startURL, r.oauthError)
	}
	return r.code, nil
}

// authorizeURL is the authorize endpoint of the SSO OIDC endpoint the SDK
// resolves for the client (AWS_ENDPOINT_URL_SSO_OIDC and endpoint_url
// included), with the request's parameters as the AWS CLI sends them.
func (s *ssoProvider) authorizeURL(ctx context.Context, oidc *ssooidc.Client, client *OIDCClient, redirect, state, challenge string) (string, error) {
	o := oidc.Options()
	ep, err := o.EndpointResolverV2.ResolveEndpoint(ctx, ssooidc.EndpointParameters{
		Region:       aws.String(o.Region),
		Endpoint:     o.BaseEndpoint,
		UseDualStack: aws.Bool(o.EndpointOptions.UseDualStackEndpoint == aws.DualStackEndpointStateEnabled),
		UseFIPS:      aws.Bool(o.EndpointOptions.UseFIPSEndpoint == aws.FIPSEndpointStateEnabled),
	})
	if err != nil {
		return "", fmt.Errorf("profile %s: resolving the SSO OIDC endpoint in %s: %w", s.sp.profile, s.sp.region, err)
	}
	u := ep.URI.JoinPath("authorize")
	u.RawQuery = url.Values{
		"response_type":         {"code"},
		"client_id":             {client.ID},
		"redirect_uri":          {redirect},
		"state":                 {state},
		"code_challenge_method": {"S256"},
		"code_challenge":        {challenge},
		"scopes":                {strings.Join(s.sp.scopes, " ")},
	}.Encode()
	return u.String(), nil
}

// randomToken is 32 random bytes in unpadded base64url: a PKCE verifier
// (43 characters, RFC 7636 §4.1) or a state.
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// s256 is the S256 code challenge of verifier (RFC 7636 §4.2).
func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// loopbackPort is the port of a listener's address.
func loopbackPort(addr net.Addr) string {
	if a, ok := addr.(*net.TCPAddr); ok {
		return strconv.Itoa(a.Port)
	}
	_, port, _ := net.SplitHostPort(addr.String())
	return port
}
