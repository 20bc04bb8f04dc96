package vaulttest

import (
	"crypto/subtle"
	"maps"
	"net/http"
)

// Values reported for web identity sessions.
const (
	webIdentityProvider = "vaulttest"
	webIdentityAudience = "sts.amazonaws.com"
)

// assumedRoleUser is the AssumedRoleUser element.
type assumedRoleUser struct {
	AssumedRoleID string `xml:"AssumedRoleId"`
	Arn           string
}

// assumeRoleResult is AssumeRoleResult.
type assumeRoleResult struct {
	Credentials      xmlCredentials
	AssumedRoleUser  assumedRoleUser
	PackedPolicySize *int   `xml:",omitempty"`
	SourceIdentity   string `xml:",omitempty"`
	tokenStats
}

// webIdentityResult is AssumeRoleWithWebIdentityResult.
type webIdentityResult struct {
	Credentials                 xmlCredentials
	SubjectFromWebIdentityToken string
	AssumedRoleUser             assumedRoleUser
	Provider                    string
	Audience                    string
	PackedPolicySize            *int `xml:",omitempty"`
	tokenStats
}

// assumeInput holds AssumeRole's parameters.
type assumeInput struct {
	roleARN, session, externalID, sourceIdentity, policy string
	duration                                             int
	tags                                                 map[string]string
	transitive                                           []string
}

// parseAssumeInput validates AssumeRole's parameters.
func parseAssumeInput(c *call) (in assumeInput, err *apiError) {
	if in.roleARN, err = requiredParam(c.form, "RoleArn"); err != nil {
		return in, err
	}
	if in.session, err = nameParam(c.form, "RoleSessionName", 2, 64); err != nil {
		return in, err
	}
	if in.duration, err = durationParam(c.form, defaultRoleD, maxRoleDuration); err != nil {
		return in, err
	}
	if in.sourceIdentity, err = optionalNameParam(c.form, "SourceIdentity", 2, 64); err != nil {
		return in, err
	}
	if in.policy, err = policyParam(c.form); err != nil {
		return in, err
	}
	in.tags, in.transitive, err = tagsParam(c.form)
	in.externalID = c.form.Get("ExternalId")
	return in, err
}

// assumeRoleLocked is AssumeRole, including role chaining.
func (a *AWS) assumeRoleLocked(c *call, p *principal) (any, *apiError) {
	in, err := parseAssumeInput(c)
	if err != nil {
		return nil, err
	}
	mfa, used, err := a.callMFALocked(c, p.user)
	if err != nil {
		return nil, err
	}
	role, err := a.authorizeAssumeLocked(p, in, mfa || p.mfa)
	if err != nil {
		return nil, err
	}
	if err := checkRoleDuration(role, in.duration, p.roleSession()); err != nil {
		return nil, err
	}
	cr := a.issueLocked(sessionTemplate(p, role, in, mfa || p.mfa), seconds(in.duration))
	a.markUsedLocked(used)
	return assumeRoleResult{newXMLCredentials(cr), assumedRoleUser{cr.UserID, cr.ARN},
		packedSize(in.policy, in.tags), cr.SourceIdentity, newTokenStats(cr)}, nil
}

// authorizeAssumeLocked applies the caller's policy and the role's trust.
func (a *AWS) authorizeAssumeLocked(p *principal, in assumeInput, mfa bool) (*Role, *apiError) {
	if p.user != nil && p.user.MFARequired && !mfa {
		return nil, errDenied(p.arn, "sts:AssumeRole", in.roleARN)
	}
	deny := errNotAuthorized(p.arn, "sts:AssumeRole", in.roleARN)
	role := a.roles[in.roleARN]
	if role == nil || p.federated || !role.trusts(p) {
		return nil, deny
	}
	if role.ExternalID != "" && subtle.ConstantTimeCompare([]byte(role.ExternalID), []byte(in.externalID)) != 1 {
		return nil, deny
	}
	if role.RequireMFA && !mfa {
		return nil, deny
	}
	return role, nil
}

// checkRoleDuration applies the role's MaxSessionDuration and the 1-hour
// limit of role chaining.
func checkRoleDuration(role *Role, d int, chained bool) *apiError {
	if chained && d > defaultRoleD {
		return errValidation(msgChainedDuration)
	}
	if seconds(d) > role.MaxSessionDuration {
		return errValidation(msgRoleMaxDuration)
	}
	return nil
}

// sessionTemplate describes the role session to issue, carrying the source
// identity and transitive tags of a chained caller.
func sessionTemplate(p *principal, role *Role, in assumeInput, mfa bool) Credentials {
	tags := map[string]string{}
	maps.Copy(tags, in.tags)
	transitive := in.transitive
	sourceIdentity := in.sourceIdentity
	if p.cred != nil {
		for _, k := range p.cred.TransitiveTags {
			tags[k] = p.cred.Tags[k]
		}
		transitive = append(transitive, p.cred.TransitiveTags...)
		if sourceIdentity == "" {
			sourceIdentity = p.cred.SourceIdentity
		}
	}
	arn := roleSessionARN(role, in.session)
	return Credentials{Kind: KindAssumedRole, MFA: mfa, ARN: arn, UserID: role.RoleID + ":" + in.session,
		Account: role.Account, RoleARN: role.ARN, Chained: p.roleSession(),
		SourceIdentity: sourceIdentity, Tags: tags, TransitiveTags: transitive}
}

// assumeRoleWithWebIdentity is AssumeRoleWithWebIdentity (unsigned).
func (a *AWS) assumeRoleWithWebIdentity(c *call) (any, *apiError) {
	if v := c.form.Get("Version"); v != versionSTS {
		return nil, errInvalidAction(c.action, v)
	}
	in, token, err := parseWebIdentityInput(c)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	subject, ok := a.webTokens[token]
	if !ok {
		return nil, &apiError{http.StatusBadRequest, "InvalidIdentityToken",
			"The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request."}
	}
	role := a.roles[in.roleARN]
	if role == nil || !role.WebIdentity {
		return nil, errAccessDenied("Not authorized to perform sts:AssumeRoleWithWebIdentity")
	}
	if err := checkRoleDuration(role, in.duration, false); err != nil {
		return nil, err
	}
	arn := roleSessionARN(role, in.session)
	cr := a.issueLocked(Credentials{Kind: KindWebIdentity, ARN: arn, UserID: role.RoleID + ":" + in.session,
		Account: role.Account, RoleARN: role.ARN}, seconds(in.duration))
	return webIdentityResult{newXMLCredentials(cr), subject, assumedRoleUser{cr.UserID, arn},
		webIdentityProvider, webIdentityAudience, packedSize(in.policy, nil), newTokenStats(cr)}, nil
}

// parseWebIdentityInput validates AssumeRoleWithWebIdentity's parameters.
func parseWebIdentityInput(c *call) (in assumeInput, token string, err *apiError) {
	if in.roleARN, err = requiredParam(c.form, "RoleArn"); err != nil {
		return in, "", err
	}
	if in.session, err = nameParam(c.form, "RoleSessionName", 2, 64); err != nil {
		return in, "", err
	}
	if token, err = requiredParam(c.form, "WebIdentityToken"); err != nil {
		return in, "", err
	}
	if in.duration, err = durationParam(c.form, defaultRoleD, maxRoleDuration); err != nil {
		return in, "", err
	}
	in.policy, err = policyParam(c.form)
	return in, token, err
}
