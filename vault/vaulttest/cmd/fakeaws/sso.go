package main

import (
	"flag"
	"fmt"
	"time"

	"github.com/awsvault/aws-vault/vault/vaulttest"
)

// ssoFlags are the flags that tune the fixture's IAM Identity Center, so
// that demos and black-box runs sign in with no one at the browser.
type ssoFlags struct {
	autoApprove bool
	consent     string
	user        string
	tokenLife   time.Duration
}

// consents maps -sso-consent values to what the user does on a sign-in
// page.
var consents = map[string]vaulttest.SSOConsent{
	"allow": vaulttest.SSOConsentAllow, "deny": vaulttest.SSOConsentDeny, "ignore": vaulttest.SSOConsentIgnore,
}

// bind registers the flags.
func (f *ssoFlags) bind(fs *flag.FlagSet) {
	fs.BoolVar(&f.autoApprove, "sso-auto-approve", false,
		"approve every SSO device authorization as it starts: no one needs to open the verification URL")
	fs.StringVar(&f.consent, "sso-consent", "allow",
		`what the user does when a browser opens an SSO sign-in page: "allow" (the authorize URL redirects at once with a code), "deny" or "ignore"`)
	fs.StringVar(&f.user, "sso-user", vaulttest.FixtureSSOUser, "the SSO user approvals and browser sign-ins act as")
	fs.DurationVar(&f.tokenLife, "sso-access-token-lifetime", 0,
		"life of SSO access tokens issued with a refresh token (default 1h); shorter makes clients refresh")
}

// check validates the flag values.
func (f *ssoFlags) check() error {
	if _, ok := consents[f.consent]; !ok {
		return fmt.Errorf("-sso-consent %q: want allow, deny or ignore", f.consent)
	}
	if f.user != vaulttest.FixtureSSOUser && f.user != vaulttest.FixtureSSOOtherUser {
		return fmt.Errorf("-sso-user %q: want %s or %s", f.user, vaulttest.FixtureSSOUser, vaulttest.FixtureSSOOtherUser)
	}
	if f.tokenLife < 0 {
		return fmt.Errorf("-sso-access-token-lifetime %v: must not be negative", f.tokenLife)
	}
	return nil
}

// settings are the SSO settings the flags ask for.
func (f *ssoFlags) settings() vaulttest.SSOSettings {
	return vaulttest.SSOSettings{AutoApprove: f.autoApprove, Consent: consents[f.consent], BrowserUser: f.user,
		AccessTokenLifetime: f.tokenLife}
}

// ssoLines prints the fixture's IAM Identity Center: its start URL and
// region, its default user and that user's roles as ACCOUNT/ROLE.
func ssoLines(line func(k, v string)) {
	line("FAKEAWS_SSO_START_URL", vaulttest.FixtureSSOStartURL)
	line("FAKEAWS_SSO_REGION", vaulttest.FixtureSSORegion)
	line("FAKEAWS_SSO_USER", vaulttest.FixtureSSOUser)
	line("FAKEAWS_SSO_ROLES", vaulttest.FixtureAccount+"/"+vaulttest.FixtureSSODeveloperRole+","+
		vaulttest.FixtureAccount+"/"+vaulttest.FixtureSSOViewOnlyRole+","+
		vaulttest.FixtureRoleAccount+"/"+vaulttest.FixtureSSODeveloperRole)
}
