package keyring

import (
	"encoding/json"
	"testing"
)

// The hand-encoded get request is the agentRequest it stands for, whatever
// the key holds.
func TestGetRequestDecodes(t *testing.T) {
	for _, key := range []string{"plain", `a"b\c`, "sts.GetSessionToken,cGxhaW4,,1796223621", "\x00\u2028<é>"} {
		var req agentRequest
		if err := json.Unmarshal(getRequest(key), &req); err != nil {
			t.Fatal(err)
		}
		if want := (agentRequest{V: agentVersion, Op: opGet, Key: key}); req.V != want.V || req.Op != want.Op || req.Key != want.Key || req.Item != nil {
			t.Errorf("getRequest(%q) decodes as %+v", key, req)
		}
	}
}
