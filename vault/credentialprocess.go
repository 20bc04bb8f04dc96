package vault

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// credentialProcessProvider runs a profile's credential_process.
type credentialProcessProvider struct {
	b *builder
	p *ProfileConfig
}

// processCredentials is the credential_process output format (names are
// matched case-insensitively).
type processCredentials struct {
	Version         int
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string
	SessionToken    string
	Expiration      *time.Time
}

func (c *credentialProcessProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	opts := c.b.chain.opts
	opts.Logf("profile %s: running credential_process", c.p.ProfileName)
	out, err := runProcess(ctx, c.p.CredentialProcess, opts.processIO(), opts.ProcessTimeout)
	if err != nil {
		return aws.Credentials{}, fmt.Errorf("profile %s: credential_process %q: %w", c.p.ProfileName, c.p.CredentialProcess, err)
	}
	return ParseProcessCredentials(out, c.p.ProfileName, c.p.CredentialProcess)
}

// ParseProcessCredentials decodes credential_process output. AccessKeyId
// and SecretAccessKey are required; SessionToken and Expiration are
// optional, as the AWS format says (aws-vault v7 requires all four).
func ParseProcessCredentials(out []byte, profile, command string) (aws.Credentials, error) {
	var pc processCredentials
	if err := json.Unmarshal(out, &pc); err != nil {
		return aws.Credentials{}, fmt.Errorf("profile %s: credential_process %q did not print valid JSON", profile, command)
	}
	var missing []string
	if pc.AccessKeyID == "" {
		missing = append(missing, "AccessKeyId")
	}
	if pc.SecretAccessKey == "" {
		missing = append(missing, "SecretAccessKey")
	}
	if len(missing) > 0 {
		return aws.Credentials{}, fmt.Errorf("profile %s: JSON credential from credential_process %q missing the following fields: %v", profile, command, missing)
	}
	creds := aws.Credentials{
		AccessKeyID: pc.AccessKeyID, SecretAccessKey: pc.SecretAccessKey, SessionToken: pc.SessionToken,
		Source: KindCredentialProcess,
	}
	if pc.Expiration != nil {
		creds.CanExpire, creds.Expires = true, pc.Expiration.UTC()
	}
	return creds, nil
}
