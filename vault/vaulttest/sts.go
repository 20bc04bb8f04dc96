package vaulttest

import (
	"time"
)

// xmlCredentials is the Credentials element of STS answers.
type xmlCredentials struct {
	AccessKeyID     string `xml:"AccessKeyId"`
	SecretAccessKey string
	SessionToken    string
	Expiration      string
}

// newXMLCredentials renders issued credentials.
func newXMLCredentials(c *Credentials) xmlCredentials {
	return xmlCredentials{c.AccessKeyID, c.SecretAccessKey, c.SessionToken, isoTime(c.Expiration)}
}

// maxSessionTokenSize is the token size SessionTokenUtilization is a
// percentage of.
const maxSessionTokenSize = 4096

// tokenStats are the SessionTokenSize and SessionTokenUtilization elements
// of answers that carry credentials.
type tokenStats struct {
	SessionTokenSize        int
	SessionTokenUtilization int
}

// newTokenStats measures an issued session token.
func newTokenStats(c *Credentials) tokenStats {
	n := len(c.SessionToken)
	return tokenStats{n, min(100, n*100/maxSessionTokenSize)}
}

// getCallerIdentityResult is GetCallerIdentityResult.
type getCallerIdentityResult struct {
	UserID  string `xml:"UserId"`
	Account string
	Arn     string
}

// getSessionTokenResult is GetSessionTokenResult.
type getSessionTokenResult struct {
	Credentials xmlCredentials
	tokenStats
}

// federatedUser is the FederatedUser element.
type federatedUser struct {
	FederatedUserID string `xml:"FederatedUserId"`
	Arn             string
}

// getFederationTokenResult is GetFederationTokenResult.
type getFederationTokenResult struct {
	Credentials      xmlCredentials
	FederatedUser    federatedUser
	PackedPolicySize *int `xml:",omitempty"`
	tokenStats
}

// dispatchSTSLocked runs an STS action for an authenticated caller.
func (a *AWS) dispatchSTSLocked(c *call, p *principal) (any, *apiError) {
	if v := c.form.Get("Version"); v != versionSTS {
		return nil, errInvalidAction(c.action, v)
	}
	switch c.action {
	case "GetCallerIdentity":
		return getCallerIdentityResult{p.userID, p.account, p.arn}, nil
	case "GetSessionToken":
		return a.getSessionTokenLocked(c, p)
	case "GetFederationToken":
		return a.getFederationTokenLocked(c, p)
	case "AssumeRole":
		return a.assumeRoleLocked(c, p)
	}
	return nil, errInvalidAction(c.action, versionSTS)
}

// getSessionTokenLocked is GetSessionToken: long-term keys only.
func (a *AWS) getSessionTokenLocked(c *call, p *principal) (any, *apiError) {
	if p.temporary() {
		return nil, errAccessDenied("Cannot call GetSessionToken with session credentials")
	}
	d, err := durationParam(c.form, defaultUserTokenD, maxSTSDuration)
	if err != nil {
		return nil, err
	}
	mfa, used, err := a.callMFALocked(c, p.user)
	if err != nil {
		return nil, err
	}
	cr := a.issueLocked(Credentials{Kind: KindSessionToken, MFA: mfa, ARN: p.arn, UserID: p.userID,
		Account: p.account, UserName: p.user.Name}, seconds(d))
	a.markUsedLocked(used)
	return getSessionTokenResult{newXMLCredentials(cr), newTokenStats(cr)}, nil
}

// getFederationTokenLocked is GetFederationToken: long-term keys only.
func (a *AWS) getFederationTokenLocked(c *call, p *principal) (any, *apiError) {
	if p.temporary() {
		return nil, errAccessDenied("Cannot call GetFederationToken with session credentials")
	}
	name, err := nameParam(c.form, "Name", 2, 32)
	if err != nil {
		return nil, err
	}
	d, err := durationParam(c.form, defaultUserTokenD, maxSTSDuration)
	if err != nil {
		return nil, err
	}
	policy, err := policyParam(c.form)
	if err != nil {
		return nil, err
	}
	arn := federatedARN(p.user, name)
	if p.user.MFARequired {
		return nil, errDenied(p.arn, "sts:GetFederationToken", arn)
	}
	fid := p.account + ":" + name
	cr := a.issueLocked(Credentials{Kind: KindFederated, ARN: arn, UserID: fid, Account: p.account,
		UserName: p.user.Name}, seconds(d))
	return getFederationTokenResult{newXMLCredentials(cr), federatedUser{fid, arn}, packedSize(policy, nil),
		newTokenStats(cr)}, nil
}

// callMFALocked checks SerialNumber and TokenCode when either was sent. It
// reports whether they authenticated the caller and the code to mark used
// once the call succeeds.
func (a *AWS) callMFALocked(c *call, owner *User) (bool, *usedCode, *apiError) {
	if !c.rec.MFA {
		return false, nil, nil
	}
	code, err := tokenCodeParam(c.form)
	if err != nil {
		return false, nil, err
	}
	used, err := a.checkMFALocked(c.form.Get("SerialNumber"), code, owner)
	if err != nil {
		return false, nil, err
	}
	return true, &used, nil
}

// markUsedLocked records an accepted MFA code against replay.
func (a *AWS) markUsedLocked(u *usedCode) {
	if u != nil {
		a.usedCodes[*u] = true
	}
}

// seconds converts DurationSeconds to a time.Duration.
func seconds(n int) time.Duration {
	return time.Duration(n) * time.Second
}
