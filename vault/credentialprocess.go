package vault

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsvault/aws-vault/internal/proc"
	"github.com/awsvault/aws-vault/vault/config"
)

// DefaultProcessTimeout bounds credential_process and
// web_identity_token_process, as the AWS SDK for Go bounds process
// credentials (processcreds.DefaultTimeout); AWS_VAULT_PROCESS_TIMEOUT
// changes it.
const DefaultProcessTimeout = time.Minute

// maxProcessOutput caps what is read from credential_process and
// web_identity_token_process.
const maxProcessOutput = 1 << 20

// runProcess runs line (a credential_process or web_identity_token_process)
// through the shell with the chain's environment and streams, and returns
// its stdout. After ProcessTimeout it is stopped (with its process group
// when it does not share the terminal: then stdin is the user's terminal
// and it may prompt there); output beyond maxProcessOutput is an error.
// Errors never contain the output, nor the command line (which may carry
// a secret): callers name the setting and the profile.
func (o *ChainOptions) runProcess(ctx context.Context, line string) ([]byte, error) {
	path, args := proc.Shell(line)
	c := proc.Command{Path: path, Args: args, Env: o.Environ(), Stdin: o.Stdin, Stderr: o.Stderr,
		Terminal: o.Terminal, MaxOutput: maxProcessOutput}
	out, err := proc.RunWithin(ctx, proc.System{}, c, o.ProcessTimeout)
	var timeout *proc.TimeoutError
	if errors.As(err, &timeout) {
		return nil, fmt.Errorf("no answer within %s; stopped it (set AWS_VAULT_PROCESS_TIMEOUT to wait longer)", o.ProcessTimeout)
	}
	return out, err
}

// credentialProcessProvider runs a profile's credential_process.
type credentialProcessProvider struct {
	b *builder
	p *config.Profile
}

// processCredentials is the credential_process output format (names are
// matched case-insensitively).
type processCredentials struct {
	Version         *int
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string
	SessionToken    string
	Expiration      *time.Time
}

func (c *credentialProcessProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	opts := c.b.chain.opts
	opts.Logf("profile %s: running credential_process", c.p.ProfileName)
	out, err := opts.runProcess(ctx, c.p.CredentialProcess)
	if err != nil {
		return aws.Credentials{}, fmt.Errorf("profile %s: credential_process failed: %w", c.p.ProfileName, err)
	}
	creds, err := ParseProcessCredentials(out, c.p.ProfileName)
	if err != nil {
		return aws.Credentials{}, err
	}
	if stale := staleness(creds, opts.Now(), opts.ExpiryWindow); stale != "" {
		return aws.Credentials{}, fmt.Errorf("profile %s: credential_process printed credentials that are expired: %s",
			c.p.ProfileName, stale)
	}
	c.b.record(Step{Kind: KindCredentialProcess, Profile: c.p.ProfileName})
	return creds, nil
}

// staleness says how creds are expired at now, counting those that expire
// within window (AWS_MIN_TTL) as expired, or "".
func staleness(creds aws.Credentials, now time.Time, window time.Duration) string {
	exp := creds.Expires.UTC().Format(time.RFC3339)
	switch {
	case !creds.CanExpire:
		return ""
	case !creds.Expires.After(now):
		return fmt.Sprintf("their Expiration %s has passed", exp)
	case !creds.Expires.After(now.Add(window)):
		return fmt.Sprintf("their Expiration %s is within AWS_MIN_TTL (%s)", exp, window)
	}
	return ""
}

// ParseProcessCredentials decodes credential_process output. AccessKeyId
// and SecretAccessKey are required; SessionToken and Expiration are
// optional, as the AWS format says (aws-vault v7 requires all four). A
// Version other than 1 is refused, as the AWS SDKs refuse it; a missing one
// is accepted, as aws-vault v7 accepts it. Errors name the profile, never
// the command line (it may carry a secret) nor the output.
func ParseProcessCredentials(out []byte, profile string) (aws.Credentials, error) {
	var pc processCredentials
	if err := json.Unmarshal(out, &pc); err != nil {
		return aws.Credentials{}, fmt.Errorf("profile %s: credential_process did not print valid JSON", profile)
	}
	if pc.Version != nil && *pc.Version != 1 {
		return aws.Credentials{}, fmt.Errorf("profile %s: credential_process printed Version %d; only Version 1 is understood", profile, *pc.Version)
	}
	var missing []string
	if pc.AccessKeyID == "" {
		missing = append(missing, "AccessKeyId")
	}
	if pc.SecretAccessKey == "" {
		missing = append(missing, "SecretAccessKey")
	}
	if len(missing) > 0 {
		return aws.Credentials{}, fmt.Errorf("profile %s: JSON credential from credential_process missing the following fields: %v", profile, missing)
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
