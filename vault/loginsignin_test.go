package vault_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/vaulttest"
)

// The sign-in endpoint failing or answering junk gives a clear error that
// never quotes the request (it carries the secret key) or the answer.
func TestSigninTokenFailures(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault vaulttest.FaultSpec
		want  string
	}{
		{"status", vaulttest.FaultSpec{Status: 500}, "Call to getSigninToken failed with 500 Internal Server Error"},
		{"junk", vaulttest.FaultSpec{MalformedBody: true},
			"getSigninToken answer from https://signin.aws.amazon.com/federation is not the expected JSON: syntax error at byte 16"},
		{"reset", vaulttest.FaultSpec{ResetConnection: true}, "getSigninToken request to https://signin.aws.amazon.com/federation: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newLoginWorld(t)
			p := profile("role")
			target, _ := vault.NewConsoleTarget("us-east-1", "")
			creds := w.federated()
			w.aws.Fault("getSigninToken", tc.fault)
			_, err := w.login.SigninToken(context.Background(), p, target, creds)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("err = %v, want prefix %q", err, tc.want)
			}
			for _, secret := range []string{creds.SecretAccessKey, creds.SessionToken, "Session=", "SigninToken\":"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q contains %q", err, secret)
				}
			}
		})
	}
}

// The emulator refuses a session it did not issue: a 400, not a token.
func TestSigninTokenUnknownSession(t *testing.T) {
	w := newLoginWorld(t)
	target, _ := vault.NewConsoleTarget("us-east-1", "")
	creds := w.federated()
	creds.SecretAccessKey = "wrong" + creds.SecretAccessKey[5:]
	_, err := w.login.SigninToken(context.Background(), profile("p"), target, creds)
	if err == nil || err.Error() != "Call to getSigninToken failed with 400 Bad Request" {
		t.Fatalf("err = %v", err)
	}
}

// federated returns federation-token credentials of bob.
func (w *loginWorld) federated() aws.Credentials {
	w.t.Helper()
	src := vault.LoginSource{Profile: profile("plain"), Creds: longTerm(vaulttest.BobAccessKeyID, vaulttest.BobSecretAccessKey)}
	creds, err := w.login.Credentials(context.Background(), src)
	if err != nil {
		w.t.Fatal(err)
	}
	w.aws.Reset()
	return creds
}
