package vault

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// formatJSON writes field by field what encoding/json writes for the
// struct (two-space indents, no HTML escaping), whatever the strings hold.
func TestFormatJSONIsEncodingJSON(t *testing.T) {
	for _, c := range []aws.Credentials{
		{AccessKeyID: "AKIA<&>\u2028\x01\"\\é\xff", SecretAccessKey: "s/+=", SessionToken: "tok\n\t"},
		{AccessKeyID: "a", SecretAccessKey: "b", CanExpire: true, Expires: time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)},
		{AccessKeyID: "a", SessionToken: "x", CanExpire: true, Expires: time.Now()},
		{},
	} {
		out := processOutput{Version: 1, AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken}
		if c.CanExpire {
			out.Expiration = FormatExpiry(c.Expires)
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			t.Fatal(err)
		}
		got, err := formatJSON(c)
		if err != nil || got != want.String() {
			t.Errorf("formatJSON = %q, %v; want %q", got, err, want.String())
		}
	}
}
