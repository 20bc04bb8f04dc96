package vault

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// processOutput is the credential_process JSON format, field order as
// aws-vault prints it.
type processOutput struct {
	Version         int
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string
	SessionToken    string `json:",omitempty"`
	Expiration      string `json:",omitempty"`
}

// FormatCredentials renders creds in one of export's formats: env,
// export-env, json or ini.
func FormatCredentials(format, profile, region string, creds aws.Credentials) (string, error) {
	switch format {
	case "json":
		return formatJSON(creds)
	case "ini":
		return formatINI(profile, region, creds), nil
	case "env", "export-env":
		prefix := ""
		if format == "export-env" {
			prefix = "export "
		}
		var sb strings.Builder
		for _, kv := range CredentialVariables(creds, region) {
			fmt.Fprintf(&sb, "%s%s=%s\n", prefix, kv[0], kv[1])
		}
		return sb.String(), nil
	}
	return "", fmt.Errorf("unknown format %q", format)
}

// formatJSON writes the credential_process JSON as aws-vault v7 does
// (json.MarshalIndent, two-space indents, <, > and & escaped, then a
// newline), field by field: encoding a
// struct costs its first use a reflection walk that the warm path (a whole
// process per call) would pay every time.
func formatJSON(creds aws.Credentials) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	field := func(name, value string) error {
		buf.WriteString(",\n  \"" + name + "\": ")
		if err := enc.Encode(value); err != nil {
			return err
		}
		buf.Truncate(buf.Len() - 1) // Encode's newline
		return nil
	}
	buf.WriteString("{\n  \"Version\": 1")
	fields := [][2]string{{"AccessKeyId", creds.AccessKeyID}, {"SecretAccessKey", creds.SecretAccessKey}}
	if creds.SessionToken != "" {
		fields = append(fields, [2]string{"SessionToken", creds.SessionToken})
	}
	if creds.CanExpire {
		if exp := FormatExpiry(creds.Expires); exp != "" {
			fields = append(fields, [2]string{"Expiration", exp})
		}
	}
	for _, f := range fields {
		if err := field(f[0], f[1]); err != nil {
			return "", err
		}
	}
	buf.WriteString("\n}\n")
	return buf.String(), nil
}

func formatINI(profile, region string, creds aws.Credentials) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "[%s]\n", profile)
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&sb, "%s=%s\n", k, v)
		}
	}
	line("aws_access_key_id", creds.AccessKeyID)
	line("aws_secret_access_key", creds.SecretAccessKey)
	line("aws_session_token", creds.SessionToken)
	if creds.CanExpire {
		line("aws_credential_expiration", FormatExpiry(creds.Expires))
	}
	line("region", region)
	return sb.String()
}
