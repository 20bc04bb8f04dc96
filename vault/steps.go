package vault

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsvault/aws-vault/vault/config"
)

// Step is one step the chain took to get the credentials it returned: a
// stored key read, a session or role served from the cache, or an AWS call
// made. Steps come in chain order, from the stored key (or other source)
// to the target profile. It holds no secret.
type Step struct {
	// Kind is the provider's kind: KindStored, KindSessionToken,
	// KindAssumeRole, KindWebIdentity, KindCredentialProcess, KindSSO, ...
	Kind    string `json:"kind"`
	Profile string `json:"profile"`
	// RoleARN and SessionName are those of a role step, when known (a
	// cached role session's name is known only from role_session_name).
	RoleARN     string `json:"role_arn,omitempty"`
	SessionName string `json:"session_name,omitempty"`
	// MFA says an MFA code obtained these credentials; MFASerial is then
	// the device.
	MFA       bool   `json:"mfa"`
	MFASerial string `json:"mfa_serial,omitempty"`
	// Cached says the credentials came from the session cache, not from
	// AWS (or the stored key, or a credential_process).
	Cached bool `json:"cached"`
}

// record notes a step of the current walk. A provider calls it once it has
// its credentials; sources finish first, so steps come in chain order.
func (b *builder) record(s Step) {
	b.steps = append(b.steps, s)
}

// withMFA fills in the device whose code was sent, if one was.
func (s Step) withMFA(serial string) Step {
	s.MFA, s.MFASerial = serial != "", serial
	return s
}

// cachedStep is the step of a session served from the cache under key.
func cachedStep(p *config.Profile, key SessionKey) Step {
	s := Step{Kind: key.Type, Profile: p.ProfileName, Cached: true}.withMFA(key.MFASerial)
	if key.Type != KindSessionToken {
		s.RoleARN, s.SessionName = p.RoleARN, p.RoleSessionName
	}
	return s
}

// lastRetrieval remembers what the chain's last successful Retrieve did,
// for StepsOf.
type lastRetrieval struct {
	keyID string
	steps []Step
}

// RetrieveSteps is Retrieve, also returning the steps taken.
func (c *Chain) RetrieveSteps(ctx context.Context) (aws.Credentials, []Step, error) {
	creds, steps, err := c.retrieve(ctx)
	if err == nil {
		c.mu.Lock()
		c.last = lastRetrieval{keyID: creds.AccessKeyID, steps: steps}
		c.mu.Unlock()
	}
	return creds, steps, err
}

// StepsOf returns the steps of the last Retrieve if it returned creds' key,
// else nil: a server that answers from memory learns how the credentials
// it serves were obtained.
func (c *Chain) StepsOf(creds aws.Credentials) []Step {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.last.keyID == "" || c.last.keyID != creds.AccessKeyID {
		return nil
	}
	return append([]Step(nil), c.last.steps...)
}
