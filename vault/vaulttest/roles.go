package vaulttest

import (
	"fmt"
	"strings"
	"time"
)

// Role is an IAM role that STS can hand out sessions for.
type Role struct {
	ARN     string // arn:<partition>:iam::<account>:role/[<path>/]<name>
	Name    string
	Account string
	RoleID  string // AROA...
	// MaxSessionDuration caps DurationSeconds for AssumeRole (default 1 h).
	MaxSessionDuration time.Duration
	// Trust lists who may assume the role: user ARNs, account ids (or
	// arn:aws:iam::<account>:root) meaning any user or role session of that
	// account, and role ARNs meaning sessions of that role (role chaining).
	Trust []string
	// RequireMFA demands an MFA-authenticated caller (aws:MultiFactorAuthPresent).
	RequireMFA bool
	// ExternalID, when set, must be passed as ExternalId.
	ExternalID string
	// WebIdentity lets AssumeRoleWithWebIdentity assume the role with any
	// token registered by [AWS.AddWebIdentityToken].
	WebIdentity bool
}

// RoleOption configures a role added by [AWS.AddRole].
type RoleOption func(*Role)

// RoleTrust adds principals (user ARNs, account ids, role ARNs) to the trust.
func RoleTrust(principals ...string) RoleOption {
	return func(r *Role) { r.Trust = append(r.Trust, principals...) }
}

// RoleRequireMFA makes the role demand an MFA-authenticated caller.
func RoleRequireMFA() RoleOption {
	return func(r *Role) { r.RequireMFA = true }
}

// RoleExternalID makes the role demand ExternalId id.
func RoleExternalID(id string) RoleOption {
	return func(r *Role) { r.ExternalID = id }
}

// RoleMaxSessionDuration sets the role's MaxSessionDuration (1 h to 12 h).
func RoleMaxSessionDuration(d time.Duration) RoleOption {
	return func(r *Role) { r.MaxSessionDuration = d }
}

// RoleTrustWebIdentity lets registered web identity tokens assume the role.
func RoleTrustWebIdentity() RoleOption {
	return func(r *Role) { r.WebIdentity = true }
}

// AddRole adds the role with ARN arn. It panics on a malformed ARN, a
// duplicate, or a MaxSessionDuration outside 1 h to 12 h.
func (a *AWS) AddRole(arn string, opts ...RoleOption) Role {
	account, name, ok := parseRoleARN(arn)
	if !ok {
		panic(fmt.Sprintf("vaulttest: AddRole(%q): malformed role ARN", arn))
	}
	r := &Role{ARN: arn, Name: name, Account: account, RoleID: uniqueID("AROA", arn),
		MaxSessionDuration: time.Hour}
	for _, opt := range opts {
		opt(r)
	}
	if r.MaxSessionDuration < time.Hour || r.MaxSessionDuration > 12*time.Hour {
		panic(fmt.Sprintf("vaulttest: AddRole(%q): MaxSessionDuration %v out of range", arn, r.MaxSessionDuration))
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.roles[arn] != nil {
		panic(fmt.Sprintf("vaulttest: AddRole: role %q already exists", arn))
	}
	a.roles[arn] = r
	return *r
}

// AddWebIdentityToken registers token as a valid web identity token whose
// subject is subject, for AssumeRoleWithWebIdentity on roles that trust web
// identities. Tokens are opaque strings (a JWT is fine).
func (a *AWS) AddWebIdentityToken(token, subject string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.webTokens[token] = subject
}

// parseRoleARN splits arn:<partition>:iam::<account>:role/<path/name>.
func parseRoleARN(arn string) (account, name string, ok bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "iam" || parts[3] != "" {
		return "", "", false
	}
	if !validAccount(parts[4]) || !strings.HasPrefix(parts[5], "role/") {
		return "", "", false
	}
	path := strings.TrimPrefix(parts[5], "role/")
	name = path[strings.LastIndex(path, "/")+1:]
	if name == "" || !validName(name) {
		return "", "", false
	}
	return parts[4], name, true
}

// partitionOf returns the partition of an ARN ("aws" if unparsable).
func partitionOf(arn string) string {
	parts := strings.SplitN(arn, ":", 3)
	if len(parts) < 3 || parts[1] == "" {
		return "aws"
	}
	return parts[1]
}

// trusts reports whether the role's trust admits the caller.
func (r *Role) trusts(p *principal) bool {
	for _, t := range r.Trust {
		switch {
		case p.federated:
			return false
		case t == p.account || t == "arn:"+partitionOf(r.ARN)+":iam::"+p.account+":root":
			return true
		case p.user != nil && t == p.user.ARN:
			return true
		case p.roleARN != "" && t == p.roleARN:
			return true
		}
	}
	return false
}
