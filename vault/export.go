package vault

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// FormatCredentials renders creds in one of export's formats: env,
// export-env, json or ini.
func FormatCredentials(format, profile, region string, creds aws.Credentials) (string, error) {
	switch format {
	case "json":
		return formatJSON(creds), nil
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
// newline), field by field with the issuance log's quoting
// (appendJSONString, json.Marshal's): encoding a struct costs its first use
// a reflection walk that the warm path (a whole process per call) would pay
// every time.
func formatJSON(creds aws.Credentials) string {
	b := make([]byte, 0, 128+len(creds.AccessKeyID)+len(creds.SecretAccessKey)+len(creds.SessionToken))
	b = append(b, "{\n  \"Version\": 1"...)
	b = appendField(b, ",\n  \"AccessKeyId\": ", creds.AccessKeyID)
	b = appendField(b, ",\n  \"SecretAccessKey\": ", creds.SecretAccessKey)
	if creds.SessionToken != "" {
		b = appendField(b, ",\n  \"SessionToken\": ", creds.SessionToken)
	}
	if creds.CanExpire {
		if exp := FormatExpiry(creds.Expires); exp != "" {
			b = appendField(b, ",\n  \"Expiration\": ", exp)
		}
	}
	return string(append(b, "\n}\n"...))
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
