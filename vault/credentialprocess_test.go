package vault_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/vaulttest"
)

// credential_process answers that must not be served: expired ones (past,
// or inside AWS_MIN_TTL) and versions other than 1, as the AWS SDKs refuse
// them. Each is a one-line error naming the profile; nothing is cached.
func TestCredentialProcessRefusals(t *testing.T) {
	creds := func(exp time.Time) aws.Credentials {
		return aws.Credentials{AccessKeyID: vaulttest.BobAccessKeyID, SecretAccessKey: vaulttest.BobSecretAccessKey,
			SessionToken: "token", CanExpire: true, Expires: exp}
	}
	for _, tc := range []struct {
		name, out, want string
		window          time.Duration
	}{
		{name: "expired", out: processOutput(creds(time.Now().Add(-time.Hour)), ""),
			want: `profile cp: credential_process printed credentials that are expired: their Expiration 20`},
		{name: "inside AWS_MIN_TTL", out: processOutput(creds(time.Now().Add(2*time.Minute)), ""),
			want: "printed credentials that are expired: their Expiration %s is within AWS_MIN_TTL (5m0s)"},
		{name: "inside a longer AWS_MIN_TTL", out: processOutput(creds(time.Now().Add(20*time.Minute)), ""), window: 30 * time.Minute,
			want: "is within AWS_MIN_TTL (30m0s)"},
		{name: "Version 2", out: processOutput(creds(time.Now().Add(time.Hour)), `"Version":2,`),
			want: `profile cp: credential_process printed Version 2; only Version 1 is understood`},
		{name: "Version 0", out: processOutput(creds(time.Now().Add(time.Hour)), `"Version":0,`),
			want: "printed Version 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			script := processScript(t, dir, tc.out)
			e := newChainEnv(t, sourcesConfig+"\n[profile cp]\ncredential_process = "+script+"\n", nil)
			_, err := e.get("cp", getOpts{window: tc.window})
			want := tc.want
			if i := strings.Index(want, "%s"); i >= 0 {
				want = want[:i]
			}
			if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("got %v, want one line containing %q", err, want)
			}
			if strings.Contains(err.Error(), vaulttest.BobSecretAccessKey) {
				t.Error("the error quotes the output")
			}
			assertStrings(t, "cached", e.cached(), nil)
		})
	}
}

// Fresh enough output is served: a shorter AWS_MIN_TTL accepts what the
// default refuses, and output without Version is accepted as aws-vault v7
// accepts it.
func TestCredentialProcessAccepted(t *testing.T) {
	exp := time.Now().Add(2 * time.Minute)
	key := aws.Credentials{AccessKeyID: vaulttest.BobAccessKeyID, SecretAccessKey: vaulttest.BobSecretAccessKey,
		SessionToken: "token", CanExpire: true, Expires: exp}
	noVersion := strings.Replace(processOutput(key, ""), `"Version":1,`, "", 1)
	e := newChainEnv(t, sourcesConfig+"\n[profile cp]\ncredential_process = "+processScript(t, t.TempDir(), noVersion)+"\n", nil)
	got, err := e.get("cp", getOpts{window: time.Minute})
	if err != nil || got.AccessKeyID != vaulttest.BobAccessKeyID || !got.Expires.Equal(exp.UTC().Truncate(time.Second)) {
		t.Fatalf("got %s expiring %s, %v", got.AccessKeyID, got.Expires, err)
	}
}

// FuzzProcessCredentials: credential_process output parses or is refused;
// the error never contains the output.
func FuzzProcessCredentials(f *testing.F) {
	f.Add([]byte(`{"Version":1,"AccessKeyId":"AKIA","SecretAccessKey":"s","SessionToken":"t","Expiration":"2026-01-02T15:04:05Z"}`))
	f.Add([]byte(`{"accesskeyid":"a","secretaccesskey":"b"}`))
	f.Add([]byte(`{"AccessKeyId":"a"}`))
	f.Add([]byte(`{"Version":2,"AccessKeyId":"AKIA","SecretAccessKey":"s"}`))
	f.Add([]byte(`not json SECRETVALUE`))
	f.Fuzz(func(t *testing.T, out []byte) {
		creds, err := vault.ParseProcessCredentials(out, "p")
		if err == nil && (creds.AccessKeyID == "" || creds.SecretAccessKey == "") {
			t.Errorf("accepted without keys: %q", out)
		}
		if err != nil && len(out) > 8 && strings.Contains(err.Error(), string(out)) {
			t.Errorf("error echoes the output: %v", err)
		}
	})
}

// Errors of credential_process and web_identity_token_process name the
// profile and what went wrong, never the command line, which can carry a
// secret (a token or password as an argument).
func TestHelperProcessErrorsDoNotQuoteTheCommand(t *testing.T) {
	const secret = ": --token=SECRET-ARGUMENT; "
	for _, tc := range []struct{ name, setting, want string }{
		{"fails", "credential_process = " + secret + "exit 3",
			"profile p: credential_process failed: exited with status 3"},
		{"junk", "credential_process = " + secret + "echo junk",
			"profile p: credential_process did not print valid JSON"},
		{"partial", `credential_process = ` + secret + `echo '{"AccessKeyId":"AKIA1"}'`,
			"profile p: JSON credential from credential_process missing the following fields: [SecretAccessKey]"},
		{"Version 2", `credential_process = ` + secret + `echo '{"Version":2,"AccessKeyId":"AKIA1","SecretAccessKey":"s"}'`,
			"profile p: credential_process printed Version 2; only Version 1 is understood"},
		{"expired", `credential_process = ` + secret + `echo '{"AccessKeyId":"AKIA1","SecretAccessKey":"s","Expiration":"2001-01-01T00:00:00Z"}'`,
			"profile p: credential_process printed credentials that are expired: their Expiration 2001-01-01T00:00:00Z has passed"},
		{"hangs", "credential_process = " + secret + "sleep 30",
			"profile p: credential_process failed: no answer within 2s; stopped it (set AWS_VAULT_PROCESS_TIMEOUT to wait longer)"},
		{"web identity", "role_arn = " + vaulttest.ReadOnlyRoleARN + "\nweb_identity_token_process = " + secret + "exit 4",
			"profile p: web_identity_token_process failed: exited with status 4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newChainEnv(t, sourcesConfig+"\n[profile p]\n"+tc.setting+"\n", nil)
			_, err := e.get("p", getOpts{})
			if err == nil || !strings.HasSuffix(err.Error(), tc.want) {
				t.Fatalf("got  %v\nwant ...%s", err, tc.want)
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("the error quotes the command line: %v", err)
			}
		})
	}
}
