package vaulttest

// xmlUser is the User element of GetUser.
type xmlUser struct {
	Path       string
	UserName   string
	UserID     string `xml:"UserId"`
	Arn        string
	CreateDate string
}

// getUserResult is GetUserResult.
type getUserResult struct {
	User xmlUser
}

// accessKeyMetadata is a member of ListAccessKeys' AccessKeyMetadata.
type accessKeyMetadata struct {
	UserName    string
	AccessKeyID string `xml:"AccessKeyId"`
	Status      string
	CreateDate  string
}

// listAccessKeysResult is ListAccessKeysResult.
type listAccessKeysResult struct {
	AccessKeyMetadata []accessKeyMetadata `xml:"AccessKeyMetadata>member"`
	IsTruncated       bool
}

// xmlAccessKey is the AccessKey element of CreateAccessKey.
type xmlAccessKey struct {
	UserName        string
	AccessKeyID     string `xml:"AccessKeyId"`
	Status          string
	SecretAccessKey string
	CreateDate      string
}

// createAccessKeyResult is CreateAccessKeyResult.
type createAccessKeyResult struct {
	AccessKey xmlAccessKey
}

// dispatchIAMLocked runs an IAM action for an authenticated caller.
func (a *AWS) dispatchIAMLocked(c *call, p *principal) (any, *apiError) {
	if v := c.form.Get("Version"); v != versionIAM {
		return nil, errInvalidAction(c.action, v)
	}
	if p.federated || p.cred != nil && p.cred.Kind == KindSessionToken && !p.cred.MFA {
		return nil, errInvalidToken(msgInvalidTokenIAM)
	}
	handlers := map[string]func(*call, *principal) (any, *apiError){
		"GetUser":         a.getUserLocked,
		"ListAccessKeys":  a.listAccessKeysLocked,
		"CreateAccessKey": a.createAccessKeyLocked,
		"UpdateAccessKey": a.updateAccessKeyLocked,
		"DeleteAccessKey": a.deleteAccessKeyLocked,
	}
	h := handlers[c.action]
	if h == nil {
		return nil, errInvalidAction(c.action, versionIAM)
	}
	return h(c, p)
}

// targetUserLocked resolves UserName (default: the calling user) and applies
// the caller's MFA-enforcing policy.
func (a *AWS) targetUserLocked(c *call, p *principal) (*User, *apiError) {
	name := c.form.Get("UserName")
	if name == "" {
		if p.user == nil {
			return nil, errValidation(msgNonUserCreds)
		}
		name = p.user.Name
	}
	if p.user != nil && p.user.MFARequired && !p.mfa {
		return nil, errDenied(p.arn, "iam:"+c.action, "user "+name)
	}
	u := a.users[name]
	if u == nil || u.Account != p.account {
		return nil, errNoSuchUser(name)
	}
	return u, nil
}

// getUserLocked is GetUser.
func (a *AWS) getUserLocked(c *call, p *principal) (any, *apiError) {
	u, err := a.targetUserLocked(c, p)
	if err != nil {
		return nil, err
	}
	return getUserResult{xmlUser{"/", u.Name, u.UserID, u.ARN, isoTime(u.CreateDate)}}, nil
}

// listAccessKeysLocked is ListAccessKeys.
func (a *AWS) listAccessKeysLocked(c *call, p *principal) (any, *apiError) {
	u, err := a.targetUserLocked(c, p)
	if err != nil {
		return nil, err
	}
	res := listAccessKeysResult{AccessKeyMetadata: []accessKeyMetadata{}}
	for _, id := range a.userKeys[u.Name] {
		k := a.keys[id]
		res.AccessKeyMetadata = append(res.AccessKeyMetadata,
			accessKeyMetadata{k.UserName, k.AccessKeyID, k.Status, isoTime(k.CreateDate)})
	}
	return res, nil
}

// createAccessKeyLocked is CreateAccessKey; the key becomes usable after
// the configured propagation delay.
func (a *AWS) createAccessKeyLocked(c *call, p *principal) (any, *apiError) {
	u, err := a.targetUserLocked(c, p)
	if err != nil {
		return nil, err
	}
	k, kerr := a.createKeyLocked(u.Name, a.newAccessKeyID("AKIA"), a.newSecret(), a.keyDelay)
	if kerr != nil {
		return nil, kerr.(*apiError)
	}
	return createAccessKeyResult{xmlAccessKey{k.UserName, k.AccessKeyID, k.Status, k.SecretAccessKey,
		isoTime(k.CreateDate)}}, nil
}

// updateAccessKeyLocked is UpdateAccessKey.
func (a *AWS) updateAccessKeyLocked(c *call, p *principal) (any, *apiError) {
	status, err := requiredParam(c.form, "Status")
	if err != nil {
		return nil, err
	}
	if status != StatusActive && status != StatusInactive {
		return nil, errConstraint("'"+status+"'", "status", "must satisfy enum value set: [Active, Inactive]")
	}
	k, err := a.targetKeyLocked(c, p)
	if err != nil {
		return nil, err
	}
	k.Status = status
	return nil, nil
}

// deleteAccessKeyLocked is DeleteAccessKey; the key is unknown afterwards.
func (a *AWS) deleteAccessKeyLocked(c *call, p *principal) (any, *apiError) {
	k, err := a.targetKeyLocked(c, p)
	if err != nil {
		return nil, err
	}
	a.deleteKeyLocked(k)
	return nil, nil
}

// targetKeyLocked resolves AccessKeyId, which must belong to the target user.
func (a *AWS) targetKeyLocked(c *call, p *principal) (*AccessKey, *apiError) {
	id, err := requiredParam(c.form, "AccessKeyId")
	if err != nil {
		return nil, err
	}
	u, err := a.targetUserLocked(c, p)
	if err != nil {
		return nil, err
	}
	k := a.keys[id]
	if k == nil || k.UserName != u.Name {
		return nil, errNoSuchKey(id)
	}
	return k, nil
}
