package vault_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/config"
	"github.com/awsvault/aws-vault/vault/vaulttest"
)

const sourcesConfig = `
[default]
region = us-east-1

[profile plain]

[profile region-base]
region = eu-west-1

[profile inc]
include_profile = region-base

[profile role]
source_profile = plain
role_arn = arn:aws:iam::222222222222:role/ReadOnly
role_session_name = role-session

[profile chained]
source_profile = role
role_arn = arn:aws:iam::333333333333:role/Deploy

[profile untrusted]
source_profile = plain
role_arn = arn:aws:iam::222222222222:role/Admin

[profile needs-mfa]
source_profile = alice
role_arn = arn:aws:iam::222222222222:role/Admin
mfa_serial = arn:aws:iam::111111111111:mfa/alice

[profile alice]
`

func TestIncludeProfileRegion(t *testing.T) {
	e := newChainEnv(t, sourcesConfig, map[string]string{"inc": "bob"})
	if _, err := e.get("inc", getOpts{}); err != nil {
		t.Fatal(err)
	}
	if r := e.aws.Requests(); len(r) != 1 || r[0].Region != "eu-west-1" {
		t.Errorf("requests %+v", r)
	}
}

func TestRegionPrecedence(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		base string
		want string
	}{
		{"profile over default", nil, "", "eu-west-1"},
		{"AWS_DEFAULT_REGION over profile", map[string]string{"AWS_DEFAULT_REGION": "ap-south-1"}, "", "ap-south-1"},
		{"AWS_REGION over AWS_DEFAULT_REGION", map[string]string{"AWS_DEFAULT_REGION": "ap-south-1", "AWS_REGION": "sa-east-1"}, "", "sa-east-1"},
		{"--region over all", map[string]string{"AWS_REGION": "sa-east-1"}, "ca-central-1", "ca-central-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newChainEnv(t, sourcesConfig, map[string]string{"region-base": "bob"})
			for k, v := range tc.env {
				e.env[k] = v
			}
			if _, err := e.get("region-base", getOpts{base: config.Profile{Region: tc.base}}); err != nil {
				t.Fatal(err)
			}
			if r := e.aws.Requests(); len(r) != 1 || r[0].Region != tc.want {
				t.Errorf("signed for %q, want %q", r[0].Region, tc.want)
			}
		})
	}
}

func TestCredentialProcessSource(t *testing.T) {
	e := newChainEnv(t, sourcesConfig, map[string]string{"plain": "bob"})
	session, err := e.get("plain", getOpts{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg := sourcesConfig + "\n[profile cp]\ncredential_process = " + processScript(t, dir, processOutput(session, "")) +
		"\n[profile cp-role]\nsource_profile = cp\nrole_arn = " + vaulttest.ReadOnlyRoleARN + "\n"
	e.cfg = parse(t, cfg)
	e.calls()
	for i := 0; i < 2; i++ {
		if _, err := e.get("cp-role", getOpts{}); err != nil {
			t.Fatal(err)
		}
	}
	if n := processRuns(t, dir); n != 1 {
		t.Errorf("credential_process ran %d times, want 1 (then cached)", n)
	}
	assertStrings(t, "cached", e.cached(), []string{"credential_process cp", "sts.GetSessionToken plain"})
	assertStrings(t, "STS calls", e.calls(), []string{"AssumeRole 3600", "AssumeRole 3600"})
}

// Output with an Expiration but no SessionToken is served, not cached:
// only sessions are cached.
func TestCredentialProcessWithoutTokenNotCached(t *testing.T) {
	dir := t.TempDir()
	key := aws.Credentials{AccessKeyID: vaulttest.BobAccessKeyID, SecretAccessKey: vaulttest.BobSecretAccessKey,
		CanExpire: true, Expires: time.Now().Add(time.Hour)}
	cfg := sourcesConfig + "\n[profile cp]\ncredential_process = " + processScript(t, dir, processOutput(key, ""))
	e := newChainEnv(t, cfg, nil)
	for i := 0; i < 2; i++ {
		if _, err := e.get("cp", getOpts{}); err != nil {
			t.Fatal(err)
		}
	}
	if n := processRuns(t, dir); n != 2 {
		t.Errorf("credential_process ran %d times, want 2 (not cached)", n)
	}
	assertStrings(t, "cached", e.cached(), nil)
}

// processOutput is credential_process JSON for creds; extra is spliced in
// as more fields (e.g. `"Version":2,`). Version 1 unless extra sets one.
func processOutput(creds aws.Credentials, extra string) string {
	if !strings.Contains(extra, `"Version"`) {
		extra = `"Version":1,` + extra
	}
	out := `{` + extra + `"AccessKeyId":"` + creds.AccessKeyID + `","SecretAccessKey":"` + creds.SecretAccessKey + `"`
	if creds.SessionToken != "" {
		out += `,"SessionToken":"` + creds.SessionToken + `"`
	}
	if creds.CanExpire {
		out += `,"Expiration":"` + creds.Expires.UTC().Format(time.RFC3339) + `"`
	}
	return out + "}"
}

// processScript writes a credential_process printing out that counts its
// runs in dir/runs, and returns its path.
func processScript(t *testing.T, dir, out string) string {
	t.Helper()
	script := filepath.Join(dir, "cp.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\necho ran >> "+dir+"/runs\ncat <<'EOF'\n"+out+"\nEOF\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	return script
}

func processRuns(t *testing.T, dir string) int {
	runs, err := os.ReadFile(filepath.Join(dir, "runs"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return strings.Count(string(runs), "ran")
}

func TestWebIdentity(t *testing.T) {
	token := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(token, []byte(vaulttest.FixtureWebIdentityToken), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := sourcesConfig + "\n[profile wi]\nrole_arn = " + vaulttest.ReadOnlyRoleARN + "\nweb_identity_token_file = " + token +
		"\n[profile wip]\nrole_arn = " + vaulttest.ReadOnlyRoleARN + "\nweb_identity_token_process = printf %s " + vaulttest.FixtureWebIdentityToken + "\n"
	e := newChainEnv(t, cfg, nil)
	for _, p := range []string{"wi", "wip", "wi"} {
		if _, err := e.get(p, getOpts{}); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
	}
	assertStrings(t, "STS calls", e.calls(), []string{"AssumeRoleWithWebIdentity 3600", "AssumeRoleWithWebIdentity 3600"})
	assertStrings(t, "cached", e.cached(), []string{"sts.AssumeRoleWithWebIdentity wi", "sts.AssumeRoleWithWebIdentity wip"})
}

func TestChainedRolesNoMFA(t *testing.T) {
	e := newChainEnv(t, sourcesConfig, map[string]string{"plain": "bob"})
	if _, err := e.get("chained", getOpts{}); err != nil {
		t.Fatal(err)
	}
	assertStrings(t, "STS calls", e.calls(), []string{"AssumeRole 3600", "AssumeRole 3600"})
	assertStrings(t, "cached", e.cached(), nil)
}

// Bad inputs: each error names the profile or what is wrong, and nothing is
// cached.
func TestChainErrors(t *testing.T) {
	noMFA := vault.MFATokenFunc(func(context.Context, vault.MFARequest) (string, error) {
		return "", errors.New("profile needs-mfa needs an MFA code for arn:aws:iam::111111111111:mfa/alice: no terminal")
	})
	wrongMFA := vault.MFATokenFunc(func(context.Context, vault.MFARequest) (string, error) { return "000000", nil })
	for _, tc := range []struct {
		name, profile, want, code string
		opts                      getOpts
		setup                     func(e *chainEnv)
	}{
		{name: "unknown profile", profile: "nosuch", want: "profile 'nosuch' not found in /test/config and no stored credentials exist for it"},
		{name: "missing source", profile: "role", want: "profile 'role': source_profile 'plain' not found",
			setup: func(e *chainEnv) {
				e.cfg = parse(t, strings.Replace(sourcesConfig, "[profile plain]\n", "", 1))
				e.kr = vaulttest.NewMemKeyring()
			}},
		{name: "no credentials", profile: "plain", want: "profile plain: credentials missing"},
		{name: "role that does not trust the user", profile: "untrusted", code: "AccessDenied", want: "is not authorized to perform: sts:AssumeRole"},
		{name: "wrong MFA code", profile: "needs-mfa", code: "AccessDenied", want: "MultiFactorAuthentication failed", opts: getOpts{mfa: wrongMFA}},
		{name: "no way to get an MFA code", profile: "needs-mfa", want: "needs an MFA code for arn:aws:iam::111111111111:mfa/alice", opts: getOpts{mfa: noMFA}},
		{name: "deleted long-term key", profile: "role", code: "InvalidClientTokenId", want: "InvalidClientTokenId",
			setup: func(e *chainEnv) {
				ck := &vault.Store{Keyring: e.kr}
				_ = ck.SetCredentials("plain", aws.Credentials{AccessKeyID: "AKIADELETED000000000", SecretAccessKey: "x"})
			}},
		{name: "no region", profile: "plain", want: "profile plain: no AWS region",
			setup: func(e *chainEnv) { e.cfg = parse(t, strings.Replace(sourcesConfig, "region = us-east-1", "", 1)) }},
		{name: "credential_process fails", profile: "cp-fail", want: "profile cp-fail: credential_process failed: exited with status 3"},
		{name: "credential_process junk", profile: "cp-junk", want: "did not print valid JSON"},
		{name: "credential_process partial", profile: "cp-partial", want: "missing the following fields: [SecretAccessKey]"},
		{name: "credential_process hangs", profile: "cp-hang", want: "no answer within 2s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := sourcesConfig + "[profile cp-fail]\ncredential_process = exit 3\n[profile cp-junk]\ncredential_process = echo c2VjcmV0anVuaw== | base64 -d\n" +
				"[profile cp-partial]\ncredential_process = echo '{\"AccessKeyId\":\"AKIA1\"}'\n[profile cp-hang]\ncredential_process = sleep 30\n"
			e := newChainEnv(t, cfg, map[string]string{"plain": "bob", "alice": "alice"})
			if tc.name == "no credentials" {
				e.kr = vaulttest.NewMemKeyring()
				e.cfg = parse(t, sourcesConfig)
			}
			if tc.setup != nil {
				tc.setup(e)
			}
			_, err := e.get(tc.profile, tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("got %v, want one line containing %q", err, tc.want)
			}
			if tc.code != "" && vault.APIErrorCode(err) != tc.code {
				t.Errorf("AWS code %q, want %q", vault.APIErrorCode(err), tc.code)
			}
			if strings.Contains(err.Error(), "secretjunk") {
				t.Error("the error echoes the process output")
			}
			assertStrings(t, "cached", e.cached(), nil)
		})
	}
}

// A cached session that AWS rejects is dropped and the chain runs again.
func TestRejectedCachedSessionIsRefetched(t *testing.T) {
	e := newChainEnv(t, readmeConfig, map[string]string{"jonsmith": "alice"})
	first, err := e.get("foo-admin", getOpts{})
	if err != nil {
		t.Fatal(err)
	}
	session := e.aws.IssuedCredentials()[0]
	e.aws.Revoke(session.AccessKeyID)
	e.calls()
	second, err := e.get("foo-admin", getOpts{})
	if err != nil {
		t.Fatal(err)
	}
	assertStrings(t, "STS calls", e.calls(), []string{"AssumeRole 3600 ExpiredToken", "GetSessionToken 28800 mfa", "AssumeRole 3600"})
	if first.AccessKeyID == second.AccessKeyID {
		t.Error("same credentials after the refetch")
	}
}

// The debug log of every case above never holds a secret.
func TestDebugLogHasNoSecrets(t *testing.T) {
	e := newChainEnv(t, readmeConfig, map[string]string{"jonsmith": "alice"})
	var all []aws.Credentials
	for _, p := range []string{"jonsmith", "foo-readonly", "foo-admin", "bar-role2"} {
		c, err := e.get(p, getOpts{cacheRole: true})
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, c)
	}
	log := strings.Join(e.logs, "\n")
	for _, c := range all {
		for _, secret := range []string{c.SecretAccessKey, c.SessionToken} {
			if secret != "" && strings.Contains(log, secret) {
				t.Errorf("debug log holds a secret")
			}
		}
	}
	for _, s := range []string{vaulttest.AliceSecretAccessKey, vaulttest.TOTP(vaulttest.AliceTOTPSecret, time.Now()), vaulttest.FixtureStaticMFACode} {
		if strings.Contains(log, s) {
			t.Errorf("debug log holds %q", s)
		}
	}
	if !strings.Contains(log, "calling GetSessionToken") || !strings.Contains(log, "using cached") {
		t.Errorf("debug log does not describe the steps:\n%s", log)
	}
}

// A web_identity_token_file that is not a regular file (a FIFO nobody
// writes to, /dev/zero) or is too large is a one-line error naming the
// profile and the file, at once: no hang, no endless read.
func TestWebIdentityTokenFileNotRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := mkfifo(fifo); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	large := filepath.Join(dir, "large")
	if err := os.WriteFile(large, make([]byte, 2<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ file, want string }{
		{fifo, "profile wi: web_identity_token_file " + fifo + " is a named pipe (FIFO), not a regular file"},
		{"/dev/zero", "profile wi: web_identity_token_file /dev/zero is a device, not a regular file"},
		{large, "profile wi: web_identity_token_file " + large + ": larger than 1048576 bytes"},
		{filepath.Join(dir, "missing"), "profile wi: web_identity_token_file " + filepath.Join(dir, "missing") + ": no such file or directory"},
	} {
		cfg := sourcesConfig + "\n[profile wi]\nrole_arn = " + vaulttest.ReadOnlyRoleARN + "\nweb_identity_token_file = " + tc.file + "\n"
		e := newChainEnv(t, cfg, nil)
		done := make(chan error, 1)
		go func() { _, err := e.get("wi", getOpts{}); done <- err }()
		select {
		case err := <-done:
			if err == nil || err.Error() != tc.want {
				t.Errorf("%s: got %v\nwant %s", tc.file, err, tc.want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: still reading after 10s", tc.file)
		}
		assertStrings(t, "STS calls", e.calls(), nil)
	}
}
