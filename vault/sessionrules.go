package vault

import (
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsvault/aws-vault/vault/config"
)

// maxChainedRoleDuration is AWS's limit for a role assumed with temporary
// credentials (role chaining).
const maxChainedRoleDuration = time.Hour

// sessionSkipReason says why profile p, whose own key is stored, gets no
// GetSessionToken; "" means it gets one. These are aws-vault v7's rules
// (vault.go's NewTempCredentialsProvider) with the maintained fork's
// corrections (https://github.com/ByteNess/aws-vault, vault/vault.go): a
// session is primed for a plain key, or for the source of role chaining,
// but not when the only role downstream wants more than the 1h chaining
// limit.
func (b *builder) sessionSkipReason(p *config.Profile) string {
	opts := b.chain.opts
	switch {
	case opts.NoSession:
		return "sessions are disabled"
	case opts.NoSessionForTarget && p == b.chain.target:
		return "sessions are disabled for this profile"
	case p.HasRole() && (p.ChainedFromProfile == nil || !p.ChainedFromProfile.HasRole()):
		// Only the source of another role primes a session for its own role.
		return "the profile assumes its role directly with its key"
	}
	if x := p.ChainedFromProfile; x != nil {
		switch {
		case x.MFASerial == "":
			return fmt.Sprintf("profile '%s' has no MFA serial defined", x.ProfileName)
		case p.MFASerial == "":
			return fmt.Sprintf("profile '%s' has no MFA serial defined", p.ProfileName)
		case p.MFASerial != x.MFASerial:
			return fmt.Sprintf("MFA serial doesn't match profile '%s'", x.ProfileName)
		}
	}
	if role := singleRoleOverLimit(p); role != nil {
		return fmt.Sprintf("the only role downstream, profile '%s', wants %s, more than the %s AWS allows a role assumed with a session",
			role.ProfileName, role.AssumeRoleDuration, maxChainedRoleDuration)
	}
	return ""
}

// singleRoleOverLimit walks from p toward the target; if exactly one profile
// on the way assumes a role and it asks for more than an hour, it returns
// that profile.
func singleRoleOverLimit(p *config.Profile) *config.Profile {
	var roles []*config.Profile
	for q := p; q != nil; q = q.ChainedFromProfile {
		if q.HasRole() {
			roles = append(roles, q)
		}
	}
	if len(roles) == 1 && roles[0].AssumeRoleDuration > maxChainedRoleDuration {
		return roles[0]
	}
	return nil
}

// sessionToken wraps src in a cached GetSessionToken for p.
func (b *builder) sessionToken(p *config.Profile, src aws.CredentialsProvider) aws.CredentialsProvider {
	b.sessionSerial = p.MFASerial
	withMFA := ""
	if p.MFASerial != "" {
		withMFA = " (with MFA)"
	}
	b.chain.opts.Logf("profile %s: using GetSessionToken%s", p.ProfileName, withMFA)
	gst := &sessionTokenProvider{b: b, p: p, source: src, duration: p.GetSessionTokenDuration()}
	b.plan(PlanStep{Kind: KindSessionToken, Action: "GetSessionToken", Region: p.Region,
		DurationSeconds: durationSeconds(gst.duration), MFASerial: p.MFASerial,
		MFAProcess: p.MFASerial != "" && mfaProcessFor(p) != ""}, p)
	return b.cached(p, KindSessionToken, p.MFASerial, "", gst)
}
