package vault_test

import (
	"strings"
	"testing"

	"github.com/awsvault/aws-vault/vault"
)

// FuzzConfigResolution: any config resolves or fails with an error; it
// never hangs or panics, whatever loops of source_profile and
// include_profile it holds (aws-vault v7 hangs on a→b→a:
// https://github.com/99designs/aws-vault/issues/1167).
func FuzzConfigResolution(f *testing.F) {
	f.Add("[profile a]\nsource_profile=b\n[profile b]\nsource_profile=a\n", "a")
	f.Add("[profile a]\ninclude_profile=b\n[profile b]\ninclude_profile=a\n", "a")
	f.Add("[default]\ninclude_profile=x\n[profile x]\nregion=r\n", "x")
	f.Add("[profile a.b]\nsso_session=s\n[sso-session s]\nsso_start_url=https://x/start#/\n[profile a]\nsource_profile=a.b\n", "a")
	f.Add("[profile t]\nsession_tags=a=1,b\n", "t")
	f.Fuzz(func(t *testing.T, text, profile string) {
		cfg, err := vault.ParseConfig("/c", []byte(text))
		if err != nil {
			return
		}
		l := &vault.ConfigLoader{File: cfg, Getenv: func(string) string { return "" }, ActiveProfile: profile}
		p, err := l.Load(profile)
		if err != nil {
			return
		}
		if n := len(p.Chain()); n > len(cfg.ProfileNames())+2 {
			t.Errorf("chain of %d profiles from a config of %d", n, len(cfg.ProfileNames()))
		}
	})
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
		creds, err := vault.ParseProcessCredentials(out, "p", "cmd")
		if err == nil && (creds.AccessKeyID == "" || creds.SecretAccessKey == "") {
			t.Errorf("accepted without keys: %q", out)
		}
		if err != nil && len(out) > 8 && strings.Contains(err.Error(), string(out)) {
			t.Errorf("error echoes the output: %v", err)
		}
	})
}
