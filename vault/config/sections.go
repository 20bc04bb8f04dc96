package config

import (
	"strconv"
	"strings"

	"gopkg.in/ini.v1"
)

const (
	defaultSectionName = "default"
	profilePrefix      = "profile "
	ssoSessionPrefix   = "sso-session "
)

// ProfileSection holds the keys aws-vault understands in one [profile X] or
// [default] section, exactly as written (dotted-name inheritance applied).
type ProfileSection struct {
	Name                    string
	MFASerial               string
	MFAProcess              string
	RoleARN                 string
	ExternalID              string
	Region                  string
	RoleSessionName         string
	SourceProfile           string
	IncludeProfile          string
	DurationSeconds         uint
	CredentialProcess       string
	WebIdentityTokenFile    string
	WebIdentityTokenProcess string
	STSRegionalEndpoints    string
	SessionTags             string
	TransitiveSessionTags   string
	SourceIdentity          string
	EndpointURL             string
	SSOSession              string
	SSOStartURL             string
	SSORegion               string
	SSOAccountID            string
	SSORoleName             string
}

// SSOSessionSection is an [sso-session NAME] section.
type SSOSessionSection struct {
	Name                  string
	SSOStartURL           string
	SSORegion             string
	SSORegistrationScopes string
}

// sectionName returns the ini section that holds profile name.
func sectionName(profile string) string {
	if profile == defaultSectionName {
		return defaultSectionName
	}
	return profilePrefix + profile
}

// ProfileNames lists the profiles in file order: [default] (unless empty)
// and every [profile X]. A [profile default] section is listed as well, as
// aws-vault does, although it is never read.
func (c *File) ProfileNames() []string {
	var names []string
	for _, sec := range c.ini.Sections() {
		switch name := sec.Name(); {
		case name == defaultSectionName:
			if len(sec.Keys()) > 0 {
				names = append(names, name)
			}
		case strings.HasPrefix(name, profilePrefix):
			names = append(names, strings.TrimPrefix(name, profilePrefix))
		}
	}
	return names
}

// HasProfileSection reports whether the file has a section for profile
// ([default] for "default").
func (c *File) HasProfileSection(profile string) bool {
	_, err := c.ini.GetSection(sectionName(profile))
	return err == nil
}

// ProfileSection returns the section of profile and whether it exists.
func (c *File) ProfileSection(profile string) (ProfileSection, bool) {
	sec, err := c.ini.GetSection(sectionName(profile))
	if err != nil {
		return ProfileSection{Name: profile}, false
	}
	get := keyReader(sec)
	dur, _ := strconv.ParseUint(get("duration_seconds"), 10, 32)
	return ProfileSection{
		Name:                    profile,
		MFASerial:               get("mfa_serial"),
		MFAProcess:              get("mfa_process"),
		RoleARN:                 get("role_arn"),
		ExternalID:              get("external_id"),
		Region:                  get("region"),
		RoleSessionName:         get("role_session_name"),
		SourceProfile:           get("source_profile"),
		IncludeProfile:          get("include_profile"),
		DurationSeconds:         uint(dur),
		CredentialProcess:       get("credential_process"),
		WebIdentityTokenFile:    get("web_identity_token_file"),
		WebIdentityTokenProcess: get("web_identity_token_process"),
		STSRegionalEndpoints:    get("sts_regional_endpoints"),
		SessionTags:             get("session_tags"),
		TransitiveSessionTags:   get("transitive_session_tags"),
		SourceIdentity:          get("source_identity"),
		EndpointURL:             get("endpoint_url"),
		SSOSession:              get("sso_session"),
		SSOStartURL:             get("sso_start_url"),
		SSORegion:               get("sso_region"),
		SSOAccountID:            get("sso_account_id"),
		SSORoleName:             get("sso_role_name"),
	}, true
}

// SSOSessionSection returns the [sso-session NAME] section and whether it
// exists.
func (c *File) SSOSessionSection(name string) (SSOSessionSection, bool) {
	sec, err := c.ini.GetSection(ssoSessionPrefix + name)
	if err != nil {
		return SSOSessionSection{Name: name}, false
	}
	get := keyReader(sec)
	return SSOSessionSection{
		Name:                  name,
		SSOStartURL:           get("sso_start_url"),
		SSORegion:             get("sso_region"),
		SSORegistrationScopes: get("sso_registration_scopes"),
	}, true
}

// keyReader reads a key through go-ini's lookup, which falls back to the
// parent section of a dotted name ([profile a.b] reads [profile a]).
func keyReader(sec *ini.Section) func(string) string {
	return func(key string) string {
		k, err := sec.GetKey(key)
		if err != nil {
			return ""
		}
		return k.String()
	}
}
