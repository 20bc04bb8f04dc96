package vault

import (
	"fmt"
	"strings"

	"github.com/awsvault/aws-vault/vault/config"
)

// defaultSSOScope is the scope a client registers for when the sso-session
// names none: what the AWS CLI asks for, and what the SSO portal's
// GetRoleCredentials needs.
const defaultSSOScope = "sso:account:access"

// ssoProfile is a profile's IAM Identity Center settings, checked.
type ssoProfile struct {
	profile string
	// startURL is sso_start_url as configured: what is sent to AWS and
	// compared with the AWS CLI's cache.
	startURL string
	// keyURL names the start URL in keyring items (oidc:<keyURL>, the third
	// field of the session key): startURL as aws-vault v7 reads it, cut at
	// the first '#' or ';' (its INI parser takes either for a comment), so
	// that both find the other's items.
	keyURL string
	region string
	// session is the sso-session's name; "" for a legacy profile with
	// sso_start_url and sso_region of its own.
	session string
	scopes  []string
	account string
	role    string
}

// newSSOProfile checks p's SSO settings: each missing one is an error
// naming the profile and the key. sso_region is never taken from region:
// IAM Identity Center lives in one region, often not the profile's.
func newSSOProfile(p *config.Profile) (*ssoProfile, error) {
	name := p.ProfileName
	where := fmt.Sprintf("profile %s", name)
	if p.SSOSession != "" {
		if !p.SSOSessionFound {
			return nil, fmt.Errorf("profile %s: sso_session %s names no [sso-session %s] section in %s", name, p.SSOSession, p.SSOSession, configPath(p))
		}
		where = fmt.Sprintf("[sso-session %s] (used by profile %s)", p.SSOSession, name)
	}
	switch {
	case p.SSOStartURL == "":
		return nil, fmt.Errorf("%s: sso_start_url is not set", where)
	case p.SSORegion == "":
		return nil, fmt.Errorf("%s: sso_region is not set: it is the region of IAM Identity Center at %s (region is not used for it)", where, p.SSOStartURL)
	case p.SSOAccountID == "":
		return nil, fmt.Errorf("profile %s: sso_account_id is not set: the account to get a role in through %s", name, p.SSOStartURL)
	case p.SSORoleName == "":
		return nil, fmt.Errorf("profile %s: sso_role_name is not set: the role (permission set) to get through %s", name, p.SSOStartURL)
	}
	sp := &ssoProfile{profile: name, startURL: p.SSOStartURL, keyURL: v7StartURL(p.SSOStartURL), region: p.SSORegion,
		session: p.SSOSession, account: p.SSOAccountID, role: p.SSORoleName}
	if sp.session != "" {
		sp.scopes = registrationScopes(p.SSORegistrationScopes)
	}
	return sp, nil
}

// v7StartURL is a start URL as aws-vault v7 reads it from the config file:
// cut at the first '#' or ';' and trimmed (so "https://x/start#/" is
// "https://x/start").
func v7StartURL(u string) string {
	if i := strings.IndexAny(u, "#;"); i >= 0 {
		u = u[:i]
	}
	return strings.TrimSpace(u)
}

// registrationScopes parses sso_registration_scopes (comma-separated, as
// the AWS CLI reads it); none means sso:account:access.
func registrationScopes(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		out = []string{defaultSSOScope}
	}
	return out
}

func configPath(p *config.Profile) string {
	if p.ConfigPath != "" {
		return p.ConfigPath
	}
	return "the config file"
}
