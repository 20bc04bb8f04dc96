package vaulttest

import (
	"slices"
	"strconv"
	"time"
)

// scopeAccountAccess is the scope a token needs for the portal when its
// client registered scopes at all.
const scopeAccountAccess = "sso:account:access"

// roleCredentials is GetRoleCredentials' roleCredentials; expiration is in
// Unix milliseconds.
type roleCredentials struct {
	AccessKeyID     string `json:"accessKeyId"`
	SecretAccessKey string `json:"secretAccessKey"`
	SessionToken    string `json:"sessionToken"`
	Expiration      int64  `json:"expiration"`
}

// getRoleCredentialsOutput is GetRoleCredentials' answer.
type getRoleCredentialsOutput struct {
	RoleCredentials roleCredentials `json:"roleCredentials"`
}

// bearerLocked checks the x-amz-sso_bearer_token header: a live access
// token of an instance in the portal host's region, else 401.
func (a *AWS) bearerLocked(c *call) (*ssoToken, *SSOUser, *apiError) {
	t := a.sso.access[c.r.Header.Get("x-amz-sso_bearer_token")]
	if t == nil || !t.liveAccess(a.now()) || c.ep.region != "" && t.instance.region != c.ep.region {
		return nil, nil, errPortalUnauthorized()
	}
	u := t.instance.user(t.user)
	if u == nil {
		return nil, nil, errPortalUnauthorized()
	}
	c.recordUser(u.Name)
	if len(t.scopes) > 0 && !slices.Contains(t.scopes, scopeAccountAccess) {
		return nil, nil, errPortalForbidden()
	}
	return t, u, nil
}

// getRoleCredentials is GetRoleCredentials: real emulator credentials of
// the permission set's role, which STS accepts and knows as
// assumed-role/AWSReservedSSO_<role>_<hex>/<user>.
func (a *AWS) getRoleCredentials(c *call) (any, *apiError) {
	account, role := c.form.Get("account_id"), c.form.Get("role_name")
	if account == "" || role == "" {
		return nil, errPortalInvalid("account_id and role_name are required")
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	t, u, err := a.bearerLocked(c)
	if err != nil {
		return nil, err
	}
	as, ok := u.assignment(account, role)
	if !ok {
		return nil, errPortalForbidden()
	}
	d := as.SessionDuration
	if d <= 0 {
		d = time.Hour
	}
	region, startURL := t.instance.region, t.instance.startURL
	roleARN := SSORoleARN(region, startURL, account, role)
	cr := a.issueLocked(Credentials{Kind: KindSSO, ARN: SSOSessionARN(region, startURL, account, role, u.Name),
		UserID: uniqueID("AROA", roleARN) + ":" + u.Name, Account: account, RoleARN: roleARN}, d)
	return getRoleCredentialsOutput{roleCredentials{cr.AccessKeyID, cr.SecretAccessKey, cr.SessionToken,
		cr.Expiration.UnixMilli()}}, nil
}

// accountInfo is a member of ListAccounts' accountList.
type accountInfo struct {
	AccountID    string `json:"accountId"`
	AccountName  string `json:"accountName"`
	EmailAddress string `json:"emailAddress"`
}

// roleInfo is a member of ListAccountRoles' roleList.
type roleInfo struct {
	AccountID string `json:"accountId"`
	RoleName  string `json:"roleName"`
}

// listAccounts is ListAccounts: the accounts the user has a role in.
func (a *AWS) listAccounts(c *call) (any, *apiError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	_, u, err := a.bearerLocked(c)
	if err != nil {
		return nil, err
	}
	var list []accountInfo
	for _, as := range u.Assignments {
		if !slices.ContainsFunc(list, func(ai accountInfo) bool { return ai.AccountID == as.AccountID }) {
			name := as.AccountName
			if name == "" {
				name = as.AccountID
			}
			list = append(list, accountInfo{as.AccountID, name, "aws+" + as.AccountID + "@example.com"})
		}
	}
	page, next, err := paginate(c, list)
	if err != nil {
		return nil, err
	}
	return struct {
		AccountList []accountInfo `json:"accountList"`
		NextToken   string        `json:"nextToken,omitempty"`
	}{page, next}, nil
}

// listAccountRoles is ListAccountRoles: the user's roles in account_id; an
// account the user has no role in is ResourceNotFoundException.
func (a *AWS) listAccountRoles(c *call) (any, *apiError) {
	account := c.form.Get("account_id")
	if account == "" {
		return nil, errPortalInvalid("account_id is required")
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	_, u, err := a.bearerLocked(c)
	if err != nil {
		return nil, err
	}
	var list []roleInfo
	for _, as := range u.Assignments {
		if as.AccountID == account {
			list = append(list, roleInfo{account, as.RoleName})
		}
	}
	if len(list) == 0 {
		return nil, &apiError{404, "ResourceNotFoundException", "Could not find account " + account}
	}
	page, next, err := paginate(c, list)
	if err != nil {
		return nil, err
	}
	return struct {
		RoleList  []roleInfo `json:"roleList"`
		NextToken string     `json:"nextToken,omitempty"`
	}{page, next}, nil
}

// paginate applies max_result and next_token (an offset) to list.
func paginate[T any](c *call, list []T) ([]T, string, *apiError) {
	start, size := 0, len(list)
	var err error
	if v := c.form.Get("next_token"); v != "" {
		if start, err = strconv.Atoi(v); err != nil || start < 0 || start > len(list) {
			return nil, "", errPortalInvalid("Invalid next token")
		}
	}
	if v := c.form.Get("max_result"); v != "" {
		if size, err = strconv.Atoi(v); err != nil || size < 1 {
			return nil, "", errPortalInvalid("Invalid max_result")
		}
	}
	end := min(len(list), start+size)
	next := ""
	if end < len(list) {
		next = strconv.Itoa(end)
	}
	return append([]T{}, list[start:end]...), next, nil
}

// logout is Logout: it ends the sign-in session of the access token, its
// refresh tokens included.
func (a *AWS) logout(c *call) (any, *apiError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	t, _, err := a.bearerLocked(c)
	if err != nil {
		return nil, err
	}
	for _, other := range a.sso.tokens {
		if other.session == t.session {
			other.revoked, other.refreshRevoked = true, true
		}
	}
	return nil, nil
}
