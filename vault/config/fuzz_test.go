package config_test

import (
	"testing"

	"github.com/awsvault/aws-vault/vault/config"
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
		cfg, err := config.Parse("/c", []byte(text))
		if err != nil {
			return
		}
		l := &config.Loader{File: cfg, Getenv: func(string) string { return "" }, ActiveProfile: profile}
		p, err := l.Load(profile)
		if err != nil {
			return
		}
		if n := len(p.Chain()); n > len(cfg.ProfileNames())+2 {
			t.Errorf("chain of %d profiles from a config of %d", n, len(cfg.ProfileNames()))
		}
	})
}
