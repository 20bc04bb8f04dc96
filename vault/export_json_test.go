package vault

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// processOutput is the credential_process JSON format as aws-vault v7
// declares it: field order and tags.
type processOutput struct {
	Version         int
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string
	SessionToken    string `json:",omitempty"`
	Expiration      string `json:",omitempty"`
}

// formatJSON writes field by field what aws-vault v7 writes for the struct
// (json.MarshalIndent with two-space indents, which escapes <, > and & as
// \u003c, \u003e and \u0026, and a newline), whatever the strings hold: a
// credential_process may print any of them.
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
		want, err := json.MarshalIndent(out, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if got := formatJSON(c); got != string(want)+"\n" {
			t.Errorf("formatJSON = %q; want %q", got, string(want)+"\n")
		}
	}
}
