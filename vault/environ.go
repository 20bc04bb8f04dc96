package vault

import (
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Environ is a process environment ("KEY=value" entries) edited the way
// aws-vault v7 edits it, so a child sees its variables in the same order:
// Unset moves the last entry into the removed one's place, Set appends.
type Environ []string

// Unset removes the first entry for key.
func (e *Environ) Unset(key string) {
	env := *e
	for i, kv := range env {
		if strings.HasPrefix(kv, key+"=") {
			env[i] = env[len(env)-1]
			*e = env[:len(env)-1]
			return
		}
	}
}

// Set replaces any entry for key with key=value at the end.
func (e *Environ) Set(key, value string) {
	e.Unset(key)
	*e = append(*e, key+"="+value)
}

// staleVariables are removed from a child's environment so they cannot
// shadow the credentials aws-vault provides.
var staleVariables = []string{
	"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
	"AWS_CREDENTIAL_FILE", "AWS_DEFAULT_PROFILE", "AWS_PROFILE", "AWS_SDK_LOAD_CONFIG",
}

// ChildEnviron returns parent with stale credential variables removed and
// AWS_VAULT, the region and the credentials set, as aws-vault v7's exec
// sets them (its cli/exec.go).
func ChildEnviron(parent []string, profile, region string, creds aws.Credentials) []string {
	return ServerChildEnviron(parent, profile, region, CredentialVariables(creds, "")...)
}

// ServerChildEnviron is the environment of a child of a credential
// server: parent with stale credential variables removed, AWS_VAULT and
// the region set, then vars (the server's address and token), and no key
// variables.
func ServerChildEnviron(parent []string, profile, region string, vars ...[2]string) []string {
	env := Environ(append([]string(nil), parent...))
	for _, k := range staleVariables {
		env.Unset(k)
	}
	env.Set("AWS_VAULT", profile)
	if region != "" {
		env.Set("AWS_REGION", region)
		env.Set("AWS_DEFAULT_REGION", region)
	}
	for _, kv := range vars {
		env.Set(kv[0], kv[1])
	}
	return env
}

// CredentialVariables lists the variables describing creds, in aws-vault's
// order: keys, token (if any), expiration (if it expires), then region
// (if known).
func CredentialVariables(creds aws.Credentials, region string) [][2]string {
	vars := [][2]string{
		{"AWS_ACCESS_KEY_ID", creds.AccessKeyID},
		{"AWS_SECRET_ACCESS_KEY", creds.SecretAccessKey},
	}
	if creds.SessionToken != "" {
		vars = append(vars, [2]string{"AWS_SESSION_TOKEN", creds.SessionToken})
	}
	if creds.CanExpire {
		vars = append(vars, [2]string{"AWS_CREDENTIAL_EXPIRATION", FormatExpiry(creds.Expires)})
	}
	if region != "" {
		vars = append(vars, [2]string{"AWS_REGION", region}, [2]string{"AWS_DEFAULT_REGION", region})
	}
	return vars
}

// FormatExpiry formats an expiry as ISO 8601 in UTC with whole seconds.
func FormatExpiry(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05Z")
}
