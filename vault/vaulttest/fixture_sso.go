package vaulttest

import "time"

// The fixture world's IAM Identity Center, built by [Fixture]. Its users
// sign in through SSO OIDC; GetRoleCredentials then hands out credentials of
// their permission sets' roles, named as AWS names them (see [SSORoleARN]).
const (
	// FixtureSSOStartURL is the start URL of the fixture instance, served
	// in FixtureSSORegion (a region no fixture profile uses otherwise, so a
	// client that ignores sso_region is caught).
	FixtureSSOStartURL = "https://d-1234567890.awsapps.com/start"
	FixtureSSORegion   = "eu-central-1"
	// FixtureSSOUser is the instance's first user: approvals and browser
	// sign-ins act as jane unless told otherwise. She has Developer and
	// ViewOnly in FixtureAccount and Developer in FixtureRoleAccount.
	FixtureSSOUser = "jane"
	// FixtureSSOOtherUser is kim, who alone has Admin in
	// FixtureRoleAccount: jane asking for it gets ForbiddenException.
	FixtureSSOOtherUser = "kim"

	FixtureSSODeveloperRole = "Developer" // 1 h sessions
	FixtureSSOViewOnlyRole  = "ViewOnly"  // 1 h sessions
	FixtureSSOAdminRole     = "Admin"     // 12 h sessions, kim only

	// FixtureSSOSecondStartURL is a second instance, in us-east-1, where
	// jane has Developer in FixtureDeployAccount: two start URLs, two
	// tokens.
	FixtureSSOSecondStartURL = "https://d-9999999999.awsapps.com/start"
	FixtureSSOSecondRegion   = "us-east-1"
)

// fixtureSSOAccountNames names the fixture accounts in ListAccounts.
var fixtureSSOAccountNames = map[string]string{
	FixtureAccount: "identity", FixtureRoleAccount: "workloads", FixtureDeployAccount: "deploy",
}

// addFixtureSSO adds the fixture instances and their users.
func addFixtureSSO(a *AWS) {
	as := func(account, role string, d time.Duration) SSOAssignment {
		return SSOAssignment{AccountID: account, RoleName: role, AccountName: fixtureSSOAccountNames[account], SessionDuration: d}
	}
	a.AddSSOInstance(FixtureSSOStartURL, FixtureSSORegion)
	a.AddSSOUser(FixtureSSOStartURL, FixtureSSOUser,
		as(FixtureAccount, FixtureSSODeveloperRole, time.Hour),
		as(FixtureAccount, FixtureSSOViewOnlyRole, time.Hour),
		as(FixtureRoleAccount, FixtureSSODeveloperRole, time.Hour))
	a.AddSSOUser(FixtureSSOStartURL, FixtureSSOOtherUser, as(FixtureRoleAccount, FixtureSSOAdminRole, 12*time.Hour))
	a.AddSSOInstance(FixtureSSOSecondStartURL, FixtureSSOSecondRegion)
	a.AddSSOUser(FixtureSSOSecondStartURL, FixtureSSOUser, as(FixtureDeployAccount, FixtureSSODeveloperRole, time.Hour))
}
