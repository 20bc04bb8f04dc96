package vaulttest

import (
	"crypto/subtle"
	"net/http"
	"strings"
)

// principal is an authenticated caller.
type principal struct {
	keyID     string
	user      *User        // the IAM user (long-term key, session-token, federated)
	cred      *Credentials // nil for a long-term key
	account   string
	arn       string
	userID    string
	roleARN   string // for role sessions
	mfa       bool
	federated bool
}

// temporary reports whether the caller signed with temporary credentials.
func (p *principal) temporary() bool {
	return p.cred != nil
}

// roleSession reports whether the caller is an assumed-role session.
func (p *principal) roleSession() bool {
	return p.roleARN != ""
}

// authenticateLocked verifies the SigV4 signature and returns the caller.
func (a *AWS) authenticateLocked(c *call) (*principal, *apiError) {
	if c.auth == nil {
		return nil, &apiError{http.StatusForbidden, "MissingAuthenticationToken", msgMissingAuth}
	}
	if c.authErr != nil {
		return nil, &apiError{http.StatusBadRequest, "IncompleteSignature",
			"Authorization header is malformed: " + c.authErr.Error()}
	}
	if err := a.checkScope(c); err != nil {
		return nil, err
	}
	p, secret, err := a.lookupKeyLocked(c)
	if err != nil {
		return nil, err
	}
	if err := a.checkSignature(c, secret); err != nil {
		return nil, err
	}
	return p, nil
}

// checkScope checks the credential scope's service and region against the
// endpoint. A plain endpoint URL host accepts any region.
func (a *AWS) checkScope(c *call) *apiError {
	if c.auth.Service != c.service {
		return errSignature("Credential should be scoped to correct service: '" + c.service + "'. ")
	}
	if c.ep.region != "" && c.auth.Region != c.ep.region {
		return errSignature("Credential should be scoped to a valid region. ")
	}
	return nil
}

// checkSignature checks the signing time window, then the signature.
func (a *AWS) checkSignature(c *call, secret string) *apiError {
	at, err := signingTime(c.r)
	if err != nil {
		return &apiError{http.StatusBadRequest, "IncompleteSignature",
			"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."}
	}
	if err := checkSkew(at, a.now()); err != nil {
		return err
	}
	if !signatureMatches(c.r, c.body, *c.auth, secret, at) {
		return errSignature(msgSignatureBad)
	}
	return nil
}

// lookupKeyLocked finds the signing key and the caller it stands for.
func (a *AWS) lookupKeyLocked(c *call) (*principal, string, *apiError) {
	id := c.auth.AccessKeyID
	if strings.HasPrefix(id, "ASIA") {
		return a.lookupTempLocked(c, id)
	}
	k := a.keys[id]
	if k == nil || k.Status != StatusActive || a.now().Before(k.UsableAt) {
		return nil, "", errInvalidToken(msgInvalidToken)
	}
	u := a.users[k.UserName]
	p := &principal{keyID: id, user: u, account: u.Account, arn: u.ARN, userID: u.UserID}
	return p, k.SecretAccessKey, nil
}

// lookupTempLocked checks temporary credentials and their session token.
func (a *AWS) lookupTempLocked(c *call, id string) (*principal, string, *apiError) {
	cr := a.creds[id]
	token := c.r.Header.Get("X-Amz-Security-Token")
	if cr == nil || subtle.ConstantTimeCompare([]byte(token), []byte(cr.SessionToken)) != 1 {
		return nil, "", errInvalidToken(msgInvalidToken)
	}
	if cr.Revoked || !a.now().Before(cr.Expiration) {
		return nil, "", errExpired()
	}
	return principalOf(cr, a.users[cr.UserName]), cr.SecretAccessKey, nil
}

// principalOf is the caller that temporary credentials stand for.
func principalOf(cr *Credentials, u *User) *principal {
	return &principal{
		keyID: cr.AccessKeyID, user: u, cred: cr, account: cr.Account, arn: cr.ARN,
		userID: cr.UserID, roleARN: cr.RoleARN, mfa: cr.MFA, federated: cr.Kind == KindFederated,
	}
}
