package vault

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/awsvault/aws-vault/vault/keyring"
)

// The sources of an SSO OIDC access token, tried in this order, each once.
const (
	fromKeyring = iota // the token aws-vault cached, while it lasts
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
}

// nextToken returns the next source's token. A source that has none is
// skipped; the sign-in is the last.
func (t *tokenSources) nextToken(ctx context.Context) (string, error) {
	s := t.s
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
				t.from = "the keyring (" + key + ")"
				s.logf("using the SSO token cached in %s (expires %s)", key, rfc3339(tok.Expiration))
				return tok.AccessToken, nil
			}
		case fromSignIn:
			return t.signIn(ctx)
		}
	}
	return "", nil // not reached: the sign-in is the last source
}

// last reports whether the last token came from the last source.
func (t *tokenSources) last() bool { return t.next >= sourcesDone }

// refused is told that the portal refused the last token (401): the
// keyring's is deleted, as aws-vault v7 deletes it.
func (t *tokenSources) refused() {
	if t.next-1 == fromKeyring {
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

// signIn signs in anew.
func (t *tokenSources) signIn(ctx context.Context) (string, error) {
	t.drop()
	tok, err := t.s.signIn(ctx, t.c.oidc)
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

// tokenFrom converts CreateToken's answer obtained at now.
func tokenFrom(out *ssooidc.CreateTokenOutput, now time.Time) *OIDCToken {
	return &OIDCToken{
		AccessToken: aws.ToString(out.AccessToken), ExpiresIn: out.ExpiresIn,
		Expiration: now.Add(time.Duration(out.ExpiresIn) * time.Second),
	}
}
