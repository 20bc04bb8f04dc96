package vault_test

import "testing"

// A warm call reads one key listing and one item, and makes no AWS call.
func TestWarmPathReadsOneItem(t *testing.T) {
	for _, profile := range []string{"jonsmith", "foo-readonly", "foo-admin", "bar-role2"} {
		t.Run(profile, func(t *testing.T) {
			e := newChainEnv(t, readmeConfig, map[string]string{"jonsmith": "alice"})
			if _, err := e.get(profile, getOpts{cacheRole: true}); err != nil {
				t.Fatal(err)
			}
			e.calls()
			e.kr.ResetCalls()
			if _, err := e.get(profile, getOpts{cacheRole: true}); err != nil {
				t.Fatal(err)
			}
			if k, g, s, r := e.kr.Calls("Keys"), e.kr.Calls("Get"), e.kr.Calls("Set"), e.kr.Calls("Remove"); k != 1 || g != 1 || s != 0 || r != 0 {
				t.Errorf("warm call: %d Keys, %d Get, %d Set, %d Remove; want 1, 1, 0, 0", k, g, s, r)
			}
			assertStrings(t, "AWS calls", e.calls(), nil)
		})
	}
}
