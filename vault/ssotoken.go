package vault

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/awsvault/aws-vault/vault/keyring"
)

// The sources of an SSO OIDC access token, tried in this order, each once.
const (
	fromKeyring = iota // the token aws-vault cached, while it lasts
	fromAWSCLI         // the AWS CLI's cache, read only
	fromRefresh        // our cached token refreshed with its refresh token
	fromSignIn         // a new sign-in
	sourcesDone
)

// tokenSources hands out access tokens for one profile's start URL, one
// source at a time. It runs under the start URL's lock.
type tokenSources struct {
	s    *ssoProvider
	c    ssoClients
	next int
	// from says where the last token came from, for --debug.
	from string
	// key and item are the token cached in the keyring, nil when none.
	key  string
	item *OIDCToken
	// client is the keyring token's registration, which a new sign-in
	// reuses while it lasts; nil once IAM Identity Center refused it.
	client *OIDCClient
}

// nextToken returns the next source's token. A source that has none is
// skipped; the sign-in is the last.
func (t *tokenSources) nextToken(ctx context.Context) (string, error) {
	s := t.s
	now := s.b.chain.opts.Now()
	for t.next < sourcesDone {
		source := t.next
		t.next++
		switch source {
		case fromKeyring:
			key, tok, err := s.b.chain.store.OIDCToken(s.keyURLs()...)
			if err != nil {
				return "", err
			}
			t.key, t.item = key, tok
			if tok != nil {
				t.client = tok.Client
			}
			if tok != nil && !tok.Expired(now) {
				t.from = "the keyring (" + key + ")"
				s.logf("using the SSO token cached in %s (expires %s)", key, rfc3339(tok.Expiration))
				return tok.AccessToken, nil
			}
		case fromAWSCLI:
			if tok, file := s.awsCLIToken(now); tok != "" {
				t.from = "the AWS CLI's cache (" + file + ")"
				return tok, nil
			}
		case fromRefresh:
			tok, err := t.refresh(ctx, now)
			if tok != nil || err != nil {
				return tokenOf(tok), err
			}
		case fromSignIn:
			return t.signIn(ctx)
		}
	}
	return "", nil // not reached: the sign-in is the last source
}

// last reports whether the last token came from the last source.
func (t *tokenSources) last() bool { return t.next >= sourcesDone }

// refused is told that the portal refused the last token (401). A refused
// token of ours that cannot be refreshed is deleted, as aws-vault v7
// deletes it; the AWS CLI's is left alone.
func (t *tokenSources) refused() {
	if t.next-1 == fromKeyring && t.item != nil && !t.item.CanRefresh(t.s.b.chain.opts.Now()) {
		t.drop()
	}
}

// drop deletes the keyring token.
func (t *tokenSources) drop() {
	if t.item == nil {
		return
	}
	if err := t.s.b.chain.store.Keyring.Remove(t.key); err != nil && !keyring.ItemGone(err) {
		t.s.logf("removing %s: %v", t.key, err)
	} else {
		t.s.logf("removed the SSO token %s", t.key)
	}
	t.item, t.key = nil, ""
}

// refresh exchanges the keyring token's refresh token for a new token, or
// returns nil when it has none or IAM Identity Center refuses it (revoked,
// or its registration expired): then the token is deleted and the next
// source is a sign-in. The AWS CLI's refresh tokens are never used: that
// would rotate them under the AWS CLI.
func (t *tokenSources) refresh(ctx context.Context, now time.Time) (*OIDCToken, error) {
	item := t.item
	if item == nil || !item.CanRefresh(now) {
		return nil, nil
	}
	s := t.s
	s.logf("refreshing the SSO token %s", t.key)
	out, err := t.c.oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{
		ClientId: aws.String(item.Client.ID), ClientSecret: aws.String(item.Client.Secret),
		GrantType: aws.String(grantRefreshToken), RefreshToken: aws.String(item.RefreshToken),
	})
	if err != nil {
		if !refusedByOIDC(err) {
			return nil, err
		}
		code := errorCodeOr(err, "refused")
		s.logf("IAM Identity Center refused the refresh (%s); signing in again", code)
		if code == "InvalidClientException" {
			t.client = nil // the registration expired or was deleted
		}
		t.drop()
		return nil, nil
	}
	tok := tokenFrom(out, now, item.Client)
	if tok.RefreshToken == "" {
		tok.RefreshToken = item.RefreshToken
	}
	t.from = "a refresh"
	s.store(tok)
	return tok, nil
}

// signIn signs in anew, reusing the registration of the keyring token
// when it still serves.
func (t *tokenSources) signIn(ctx context.Context) (string, error) {
	t.drop()
	tok, err := t.s.signIn(ctx, t.c.oidc, t.client)
	if err != nil {
		return "", err
	}
	t.from = "a new sign-in"
	t.s.store(tok)
	return tok.AccessToken, nil
}

// store caches tok under the start URL (aws-vault v7's key). A keyring
// that cannot store it costs the next call a sign-in, not this one.
func (s *ssoProvider) store(tok *OIDCToken) {
	if err := s.b.chain.store.SetOIDCToken(s.sp.keyURL, tok); err != nil {
		s.logf("could not cache the SSO token: %v", err)
	}
}

// keyURLs are the item keys a token for the start URL may be under:
// aws-vault v7's form first, then the start URL whole (as the maintained
// fork keys it) when they differ.
func (s *ssoProvider) keyURLs() []string {
	if s.sp.keyURL == s.sp.startURL {
		return []string{s.sp.keyURL}
	}
	return []string{s.sp.keyURL, s.sp.startURL}
}

// tokenFrom converts CreateToken's answer obtained at now by client.
func tokenFrom(out *ssooidc.CreateTokenOutput, now time.Time, client *OIDCClient) *OIDCToken {
	return &OIDCToken{
		AccessToken: aws.ToString(out.AccessToken), ExpiresIn: out.ExpiresIn,
		Expiration:   now.Add(time.Duration(out.ExpiresIn) * time.Second),
		RefreshToken: aws.ToString(out.RefreshToken), Client: client,
	}
}

func tokenOf(t *OIDCToken) string {
	if t == nil {
		return ""
	}
	return t.AccessToken
}

// refusedByOIDC reports whether SSO OIDC refused a request (a 4xx answer:
// a revoked or expired grant, an expired registration), as opposed to not
// answering.
func refusedByOIDC(err error) bool {
	status := httpStatus(err)
	return status >= http.StatusBadRequest && status < http.StatusInternalServerError
}
