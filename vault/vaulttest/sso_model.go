package vaulttest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// KindSSO marks role credentials the SSO portal's GetRoleCredentials issued.
// They are role sessions: STS answers for them as for AssumeRole sessions
// (role chaining from them is capped at 1 h).
const KindSSO CredentialKind = "sso"

// SSOAssignment gives an IAM Identity Center user a permission set in an
// account: the role GetRoleCredentials hands out credentials for.
type SSOAssignment struct {
	AccountID   string // 12 digits
	RoleName    string // the permission set's name, as sso_role_name spells it
	AccountName string // ListAccounts' accountName ("" for the account id)
	// SessionDuration is the permission set's session duration: how long
	// role credentials last (1 h when 0).
	SessionDuration time.Duration
}

// SSOUser is a user of an IAM Identity Center instance.
type SSOUser struct {
	Name        string // role session name in the credentials' ARN
	StartURL    string // the instance's start URL
	Assignments []SSOAssignment
}

// ssoInstance is an IAM Identity Center instance: a start URL in a region
// and its users, in the order added.
type ssoInstance struct {
	startURL string
	region   string
	users    []*SSOUser
}

// user returns the named user, or the first one for "".
func (in *ssoInstance) user(name string) *SSOUser {
	for _, u := range in.users {
		if name == "" || u.Name == name {
			return u
		}
	}
	return nil
}

// AddSSOInstance adds an IAM Identity Center instance whose users sign in at
// startURL, served in region (its sso_region). It panics on a malformed
// start URL or region, or a duplicate: both are mistakes in the test.
func (a *AWS) AddSSOInstance(startURL, region string) {
	if !strings.HasPrefix(startURL, "https://") || !validRegion(region) {
		panic(fmt.Sprintf("vaulttest: AddSSOInstance(%q, %q): bad start URL or region", startURL, region))
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	key := normalStartURL(startURL)
	if a.sso.instances[key] != nil {
		panic(fmt.Sprintf("vaulttest: AddSSOInstance: %q already exists", startURL))
	}
	a.sso.instances[key] = &ssoInstance{startURL: startURL, region: region}
}

// AddSSOUser adds user name to the instance at startURL with assignments.
// The first user added is the one approvals and browser sign-ins act as by
// default. It panics on an unknown instance, a duplicate user or a bad
// assignment.
func (a *AWS) AddSSOUser(startURL, name string, assignments ...SSOAssignment) SSOUser {
	if name == "" || !validName(name) {
		panic(fmt.Sprintf("vaulttest: AddSSOUser(%q): bad user name", name))
	}
	for _, as := range assignments {
		if !validAccount(as.AccountID) || as.RoleName == "" || !validName(as.RoleName) {
			panic(fmt.Sprintf("vaulttest: AddSSOUser(%q): bad assignment %+v", name, as))
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	in := a.sso.instances[normalStartURL(startURL)]
	if in == nil || in.user(name) != nil {
		panic(fmt.Sprintf("vaulttest: AddSSOUser(%q, %q): unknown instance or duplicate user", startURL, name))
	}
	u := &SSOUser{Name: name, StartURL: in.startURL, Assignments: append([]SSOAssignment(nil), assignments...)}
	in.users = append(in.users, u)
	return *u
}

// assignment returns the user's assignment of role in account.
func (u *SSOUser) assignment(account, role string) (SSOAssignment, bool) {
	for _, as := range u.Assignments {
		if as.AccountID == account && as.RoleName == role {
			return as, true
		}
	}
	return SSOAssignment{}, false
}

// normalStartURL is the form start URLs are compared in: without the
// trailing "/" or "#" ("/start/#/" is "/start").
func normalStartURL(s string) string {
	return strings.TrimRight(s, "/#")
}

// SSORoleARN is the IAM role IAM Identity Center creates in accountID for
// permission set roleName of the instance at startURL in region:
// arn:aws:iam::<account>:role/aws-reserved/sso.amazonaws.com/[<region>/]AWSReservedSSO_<role>_<16 hex>.
// The suffix is derived from the three, so it is the same on every run.
func SSORoleARN(region, startURL, accountID, roleName string) string {
	path := "aws-reserved/sso.amazonaws.com/"
	if region != "us-east-1" {
		path += region + "/"
	}
	return "arn:" + partitionOfRegion(region) + ":iam::" + accountID + ":role/" + path + reservedRoleName(startURL, accountID, roleName)
}

// SSOSessionARN is the caller ARN of user's role credentials for roleName:
// arn:aws:sts::<account>:assumed-role/AWSReservedSSO_<role>_<16 hex>/<user>.
func SSOSessionARN(region, startURL, accountID, roleName, user string) string {
	return "arn:" + partitionOfRegion(region) + ":sts::" + accountID + ":assumed-role/" +
		reservedRoleName(startURL, accountID, roleName) + "/" + user
}

// reservedRoleName is AWSReservedSSO_<role>_<16 hex>.
func reservedRoleName(startURL, accountID, roleName string) string {
	sum := sha256.Sum256([]byte(normalStartURL(startURL) + "\x00" + accountID + "\x00" + roleName))
	return "AWSReservedSSO_" + roleName + "_" + hex.EncodeToString(sum[:8])
}

// partitionOfRegion is the partition a region belongs to.
func partitionOfRegion(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	case strings.HasPrefix(region, "eusc-"):
		return "aws-eusc"
	}
	return "aws"
}
