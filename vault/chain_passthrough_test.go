package vault_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/vaulttest"
)

// A profile that only names a source_profile, reached however, gets a
// GetSessionToken session over the source's key, as aws-vault v7.2.0 does
// ("profile work: using GetSessionToken"): without --no-session the
// long-term key is never handed out.
func TestPassThroughGetsSession(t *testing.T) {
	const head = "[default]\nregion = us-east-1\n[profile base]\n"
	for _, tc := range []struct {
		name, config, profile string
		calls                 []string
	}{
		{name: "source_profile, no role", profile: "work",
			config: head + "[profile work]\nsource_profile = base\n", calls: []string{"GetSessionToken 3600"}},
		{name: "two pass-through hops", profile: "work",
			config: head + "[profile mid]\nsource_profile = base\n[profile work]\nsource_profile = mid\n", calls: []string{"GetSessionToken 3600"}},
		{name: "source reached through include_profile", profile: "work",
			config: head + "[profile shared]\nsource_profile = base\n[profile work]\ninclude_profile = shared\n", calls: []string{"GetSessionToken 3600"}},
		{name: "include_profile naming nothing, source from [default]", profile: "work",
			config: "[default]\nregion = us-east-1\nsource_profile = base\n[profile base]\n[profile work]\ninclude_profile = nosuch\n", calls: []string{"GetSessionToken 3600"}},
		{name: "pass-through with its own mfa_serial", profile: "work",
			config: head + "[profile work]\nsource_profile = base\nmfa_serial = " + vaulttest.AliceMFASerial + "\n", calls: []string{"GetSessionToken 3600 mfa"}},
		{name: "pass-through whose source has another mfa_serial", profile: "work",
			config: "[default]\nregion = us-east-1\n[profile base]\nmfa_serial = arn:aws:iam::111111111111:mfa/other\n[profile work]\nsource_profile = base\nmfa_serial = " +
				vaulttest.AliceMFASerial + "\n", calls: []string{"GetSessionToken 3600 mfa"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newChainEnv(t, tc.config, map[string]string{"base": "alice"})
			creds, err := e.get(tc.profile, getOpts{})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(creds.AccessKeyID, "ASIA") || creds.SessionToken == "" || !creds.CanExpire {
				t.Errorf("handed out %s (token %v): not a session", creds.AccessKeyID, creds.SessionToken != "")
			}
			assertStrings(t, "STS calls", e.calls(), tc.calls)
			if !logged(e, "profile work: using GetSessionToken") {
				t.Errorf("no \"using GetSessionToken\" line in %q", e.logs)
			}
			// --no-session alone hands out the stored key.
			key, err := e.get(tc.profile, getOpts{noSession: true})
			if err != nil || key.AccessKeyID != vaulttest.AliceAccessKeyID || key.SessionToken != "" {
				t.Errorf("--no-session: %s, %v", key.AccessKeyID, err)
			}
		})
	}
}

// Every chain of up to three profiles ending in a stored key, whatever mix
// of roles, MFA serials and pass-through hops, gives temporary credentials
// unless sessions are disabled: the chain's kind is never the stored key.
func TestNoChainHandsOutTheStoredKey(t *testing.T) {
	shapes := []string{"", "mfa", "role", "role mfa"}
	chains := [][]string{nil}
	for n := 1; n <= 3; n++ {
		var longer [][]string
		for _, c := range chains {
			for _, s := range shapes {
				longer = append(longer, append(slices.Clone(c), s))
			}
		}
		chains = longer
		for _, kinds := range chains {
			cfg, target := chainConfig(kinds)
			e := newChainEnv(t, cfg, map[string]string{"p0": "alice"})
			ch, err := vault.NewChain(vault.ChainOptions{Keyring: e.kr, Now: e.clock}, e.load(target))
			if err != nil {
				t.Fatal(err)
			}
			if ch.Kind == vault.KindStored {
				t.Errorf("%q: the chain hands out the stored key", kinds)
			}
		}
	}
}

// chainConfig writes profiles p0 (the stored key) ... pN-1, each the source
// of the next, with the given shapes; it returns the config and the target.
func chainConfig(kinds []string) (string, string) {
	var b strings.Builder
	b.WriteString("[default]\nregion = us-east-1\n")
	for i, k := range kinds {
		fmt.Fprintf(&b, "[profile p%d]\n", i)
		if i > 0 {
			fmt.Fprintf(&b, "source_profile = p%d\n", i-1)
		}
		if strings.Contains(k, "role") {
			b.WriteString("role_arn = " + admin12h + "\n")
		}
		if strings.Contains(k, "mfa") {
			b.WriteString("mfa_serial = " + vaulttest.AliceMFASerial + "\n")
		}
	}
	return b.String(), fmt.Sprintf("p%d", len(kinds)-1)
}

func logged(e *chainEnv, line string) bool {
	for _, l := range e.logs {
		if strings.Contains(l, line) {
			return true
		}
	}
	return false
}
