package vault_test

import (
	"testing"
)

// The maintained fork's session rules (its vault/vault.go and
// vault/vault_test.go, https://github.com/ByteNess/aws-vault) and
// aws-vault's own regression cases, each with the STS calls it makes.
func TestSessionRules(t *testing.T) {
	const base = "[default]\nregion = us-east-1\n[profile base]\nmfa_serial = arn:aws:iam::111111111111:mfa/alice\n"
	const mfa = "mfa_serial = arn:aws:iam::111111111111:mfa/alice\n"
	for _, tc := range []struct {
		name, config, profile string
		keys                  map[string]string
		calls                 []string
	}{
		{name: "role profile with its own key: AssumeRole straight from the key",
			config: "[default]\nregion = us-east-1\n[profile direct]\nrole_arn = arn:aws:iam::222222222222:role/ReadOnly\n",
			keys:   map[string]string{"direct": "bob"}, profile: "direct", calls: []string{"AssumeRole 3600"}},
		{name: "a role's key used by a non-role profile: no session",
			config: "[default]\nregion = us-east-1\n" + mfa + "[profile keyed-role]\nrole_arn = " + admin12h + "\n[profile alias]\nsource_profile = keyed-role\n",
			keys:   map[string]string{"keyed-role": "alice"}, profile: "alias", calls: []string{"AssumeRole 3600 mfa"}},
		{name: "[default] mfa_serial and two 2h roles: one session, both roles capped at 1h",
			config: "[default]\nregion = us-east-1\n" + mfa + "[profile base]\n[profile r1]\nsource_profile = base\nrole_arn = arn:aws:iam::222222222222:role/Admin" +
				"\nduration_seconds = 7200\n[profile r2]\nsource_profile = r1\nrole_arn = arn:aws:iam::333333333333:role/Deploy\nduration_seconds = 7200\n",
			keys: map[string]string{"base": "alice"}, profile: "r2", calls: []string{"GetSessionToken 28800 mfa", "AssumeRole 3600", "AssumeRole 3600"}},
		{name: "single 12h role through a passthrough alias: no session, not capped",
			config: base + "[profile alias]\nsource_profile = base\n" + mfa + "[profile long]\nsource_profile = alias\nrole_arn = " + admin12h +
				"\nduration_seconds = 43200\n" + mfa,
			keys: map[string]string{"base": "alice"}, profile: "long", calls: []string{"AssumeRole 43200 mfa"}},
		{name: "role chaining through a passthrough hop: one session, capped",
			config: base + "[profile r1]\nsource_profile = base\nrole_arn = arn:aws:iam::222222222222:role/Admin\n" + mfa + "[profile hop]\nsource_profile = r1\n" + mfa +
				"[profile r2]\nsource_profile = hop\nrole_arn = arn:aws:iam::333333333333:role/Deploy\nduration_seconds = 43200\n" + mfa,
			keys: map[string]string{"base": "alice"}, profile: "r2", calls: []string{"GetSessionToken 28800 mfa", "AssumeRole 3600", "AssumeRole 3600"}},
		{name: "credential_process with mfa_serial and no stored key uses the process (aws-vault#1176)",
			config: "[default]\nregion = us-east-1\n[profile cp]\n" + mfa + "credential_process = printf '{\"AccessKeyId\":\"" +
				"AKIABOBEXAMPLE000001\",\"SecretAccessKey\":\"bobSecretKey0000000000000000000000000001\"}'\n[profile cp-role]\nsource_profile = cp\nrole_arn = arn:aws:iam::222222222222:role/ReadOnly\n",
			profile: "cp-role", calls: []string{"AssumeRole 3600"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newChainEnv(t, tc.config, tc.keys)
			if _, err := e.get(tc.profile, getOpts{}); err != nil {
				t.Fatal(err)
			}
			assertStrings(t, "STS calls", e.calls(), tc.calls)
		})
	}
}
