package vaulttest

import "time"

// CredentialKind tells which STS action issued temporary credentials.
type CredentialKind string

// Kinds of temporary credentials.
const (
	KindSessionToken CredentialKind = "session-token" // GetSessionToken; see Credentials.MFA
	KindAssumedRole  CredentialKind = "assumed-role"  // AssumeRole
	KindFederated    CredentialKind = "federated"     // GetFederationToken
	KindWebIdentity  CredentialKind = "web-identity"  // AssumeRoleWithWebIdentity
)

// Credentials are temporary credentials the emulator issued.
type Credentials struct {
	AccessKeyID     string // ASIA + 16 upper-case alphanumerics
	SecretAccessKey string
	SessionToken    string
	Issued          time.Time
	Expiration      time.Time
	Kind            CredentialKind
	MFA             bool   // issued to an MFA-authenticated caller
	ARN             string // the identity they represent (GetCallerIdentity Arn)
	UserID          string // GetCallerIdentity UserId
	Account         string
	UserName        string // the IAM user behind session-token and federated credentials
	RoleARN         string // the role behind assumed-role and web-identity credentials
	Chained         bool   // obtained by role chaining
	Revoked         bool
	SourceIdentity  string
	Tags            map[string]string
	TransitiveTags  []string
}

// IssuedCredentials returns copies of every temporary credential issued so
// far, oldest first.
func (a *AWS) IssuedCredentials() []Credentials {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]Credentials, 0, len(a.credOrder))
	for _, id := range a.credOrder {
		out = append(out, *a.creds[id])
	}
	return out
}

// Revoke revokes the temporary credentials with id accessKeyID (later use
// answers ExpiredToken) or deactivates the long-term key with that id. It
// reports whether the id was known.
func (a *AWS) Revoke(accessKeyID string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if c := a.creds[accessKeyID]; c != nil {
		c.Revoked = true
		return true
	}
	if k := a.keys[accessKeyID]; k != nil {
		k.Status = StatusInactive
		return true
	}
	return false
}

// issueLocked mints and stores credentials valid for d from now, filling
// in the generated fields of tmpl.
func (a *AWS) issueLocked(tmpl Credentials, d time.Duration) *Credentials {
	c := tmpl
	c.AccessKeyID = a.newAccessKeyID("ASIA")
	c.SecretAccessKey = a.newSecret()
	c.SessionToken = a.newSessionToken()
	c.Issued = a.now().UTC()
	c.Expiration = c.Issued.Add(d).Truncate(time.Second)
	a.creds[c.AccessKeyID] = &c
	a.credOrder = append(a.credOrder, c.AccessKeyID)
	return &c
}

// roleSessionARN is the assumed-role ARN of a session of role.
func roleSessionARN(r *Role, session string) string {
	return "arn:" + partitionOf(r.ARN) + ":sts::" + r.Account + ":assumed-role/" + r.Name + "/" + session
}

// federatedARN is the ARN of a federated user of account.
func federatedARN(u *User, name string) string {
	return "arn:" + partitionOf(u.ARN) + ":sts::" + u.Account + ":federated-user/" + name
}
