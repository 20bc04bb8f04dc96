package vault_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/vaulttest"
)

// STS credentials that have already expired by our clock are refused, not
// handed out nor cached, with a hint comparing our clock with the answer's
// Date header: a wrong clock, or (clocks agreeing) AWS or a proxy.
func TestExpiredSTSAnswerIsRefused(t *testing.T) {
	for _, tc := range []struct {
		name, profile, action, hint string
		fault                       bool
		skew                        time.Duration
	}{
		{name: "expired answer, clocks agree", profile: "plain", action: "GetSessionToken", fault: true,
			hint: "Date header (20"},
		{name: "expired answer to AssumeRole", profile: "role", action: "AssumeRole", fault: true,
			hint: "agrees with this computer's clock, so AWS or a proxy in between sent expired credentials"},
		// The Date header has whole seconds: the skew shown may be 2h0m1s.
		{name: "this clock two hours ahead", profile: "plain", action: "GetSessionToken", skew: 2 * time.Hour,
			hint: "this computer's clock is 2h0m"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newChainEnv(t, sourcesConfig, map[string]string{"plain": "bob"})
			if tc.fault {
				e.aws.Fault(tc.action, vaulttest.FaultSpec{AnswerFault: vaulttest.AnswerFault{ExpiredBy: time.Minute}})
			}
			e.now = time.Now().Add(tc.skew)
			_, err := e.get(tc.profile, getOpts{cacheRole: true})
			want := "profile " + tc.profile + ": " + tc.action + " answered with credentials that expired at "
			if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("got %v, want one line containing %q", err, want)
			}
			var hinted *vault.HintedError
			if !errors.As(err, &hinted) || !strings.Contains(hinted.Hint, tc.hint) {
				t.Errorf("hint of %v, want one containing %q", err, tc.hint)
			} else if !strings.Contains(hinted.Hint, "Date header") {
				t.Errorf("hint %q does not compare with the Date header", hinted.Hint)
			}
			assertStrings(t, "cached", e.cached(), nil)
		})
	}
}

// An AWS error message is cut in error text, however long AWS sent it.
func TestHugeAWSErrorIsCut(t *testing.T) {
	e := newChainEnv(t, sourcesConfig, map[string]string{"plain": "bob"})
	const size = 8 << 20
	e.aws.Fault("GetSessionToken", vaulttest.FaultSpec{Status: 400, Code: "ValidationError",
		AnswerFault: vaulttest.AnswerFault{HugeMessage: size}})
	_, err := e.get("plain", getOpts{})
	if vault.APIErrorCode(err) != "ValidationError" {
		t.Fatalf("got %v", err)
	}
	text := vault.ErrorText(err)
	if len(text) > 1024 || !strings.Contains(text, "... [cut: 8388608 bytes in all]") || !strings.Contains(text, "api error ValidationError: 1 validation error") {
		t.Errorf("error text of %d bytes: %.2000s", len(text), text)
	}
	short := errors.New("profile plain: no AWS region")
	if vault.ErrorText(short) != short.Error() {
		t.Error("a short error changed")
	}
}

// The same refusal covers the STS calls outside the chain: login's
// GetFederationToken and rotate's MFA session for the IAM calls.
func TestExpiredSTSAnswerIsRefusedByLoginAndRotate(t *testing.T) {
	check := func(t *testing.T, err error, want string) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Fatalf("got %v, want one line containing %q", err, want)
		}
		var hinted *vault.HintedError
		if !errors.As(err, &hinted) || !strings.Contains(hinted.Hint, "Date header") {
			t.Errorf("hint of %v, want one comparing with the Date header", err)
		}
	}
	expired := vaulttest.FaultSpec{AnswerFault: vaulttest.AnswerFault{ExpiredBy: time.Minute}}
	t.Run("login", func(t *testing.T) {
		w := newLoginWorld(t)
		w.aws.Fault("GetFederationToken", expired)
		src := vault.LoginSource{Profile: profile("plain"), Kind: vault.KindStored, Creds: longTerm(vaulttest.BobAccessKeyID, vaulttest.BobSecretAccessKey)}
		_, err := w.login.Credentials(context.Background(), src)
		check(t, err, "profile plain: GetFederationToken answered with credentials that expired at ")
	})
	t.Run("rotate", func(t *testing.T) {
		e := newRotEnv(t)
		e.aws.Fault("GetSessionToken", expired)
		err := e.rotate(context.Background(), "frank", false)
		check(t, err, "profile frank: GetSessionToken answered with credentials that expired at ")
		if n := e.aws.Count("CreateAccessKey"); n != 0 {
			t.Errorf("%d CreateAccessKey calls after the expired session", n)
		}
		checkLeftWith(t, e, "frank", "old", 1)
	})
}
