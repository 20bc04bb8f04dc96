package vault_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/keyring"
)

// A session-cache item is served only if it is a session: access key,
// secret, session token and an expiration far enough ahead. Anything else
// under a session name (a long-term key copied there, a zero or past
// expiration) is removed, says why in --debug, and a new session is fetched.
func TestBadCachedSessionIsReplaced(t *testing.T) {
	future := time.Now().Add(2 * time.Hour).UTC() // a name unlike the new session's
	session := func(token string, exp time.Time) []byte {
		data, _ := json.Marshal(map[string]any{"AccessKeyId": "ASIAOLDSESSION000001", "SecretAccessKey": "old-secret",
			"SessionToken": token, "Expiration": exp})
		return data
	}
	for _, tc := range []struct {
		name   string
		data   func(e *chainEnv) []byte
		reason string
	}{
		{"long-term key copied under a session name", func(e *chainEnv) []byte {
			item, err := e.kr.Get("plain")
			if err != nil {
				t.Fatal(err)
			}
			return item.Data
		}, "no session token"},
		{"no session token", func(*chainEnv) []byte { return session("", future) }, "no session token"},
		{"zero expiration", func(*chainEnv) []byte { return session("old-token", time.Time{}) }, "no expiration"},
		{"payload expired", func(*chainEnv) []byte { return session("old-token", time.Now().Add(-time.Hour)) }, "sooner than its name says"},
		{"payload expires inside AWS_MIN_TTL", func(*chainEnv) []byte { return session("old-token", time.Now().Add(time.Minute)) }, "sooner than its name says"},
		{"no access key", func(*chainEnv) []byte { return []byte(`{"SessionToken":"t","Expiration":"2099-01-01T00:00:00Z"}`) }, "no access key"},
		{"not JSON", func(*chainEnv) []byte { return []byte("not json") }, "not session JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newChainEnv(t, sourcesConfig, map[string]string{"plain": "bob"})
			bad := vault.SessionKey{Type: vault.KindSessionToken, ProfileName: "plain", Expiration: future}.String()
			if err := e.kr.Set(keyring.Item{Key: bad, Data: tc.data(e)}); err != nil {
				t.Fatal(err)
			}
			creds, err := e.get("plain", getOpts{})
			if err != nil {
				t.Fatal(err)
			}
			assertStrings(t, "STS calls", e.calls(), []string{"GetSessionToken 3600"})
			if creds.AccessKeyID == "ASIAOLDSESSION000001" || creds.SessionToken == "" || !creds.Expires.After(time.Now()) {
				t.Errorf("served %s expiring %s", creds.AccessKeyID, creds.Expires)
			}
			if _, err := e.kr.Get(bad); err == nil {
				t.Error("the bad item is still there")
			}
			assertStrings(t, "cached", e.cached(), []string{"sts.GetSessionToken plain"})
			if !logged(e, "cached session "+bad+" is not usable: ") || !logged(e, tc.reason) {
				t.Errorf("debug log does not say why: %q", e.logs)
			}
			if strings.Contains(strings.Join(e.logs, "\n"), "old-secret") {
				t.Error("debug log holds the item's secret")
			}
		})
	}
}

// A good cached session is still served, its payload's expiration intact.
func TestGoodCachedSessionIsServed(t *testing.T) {
	e := newChainEnv(t, sourcesConfig, map[string]string{"plain": "bob"})
	first, err := e.get("plain", getOpts{})
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.get("plain", getOpts{})
	if err != nil || second != first {
		t.Errorf("second call: %v, same credentials %v", err, second == first)
	}
	assertStrings(t, "STS calls", e.calls(), []string{"GetSessionToken 3600"})
}
