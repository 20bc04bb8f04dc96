package config

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Loader resolves profiles as aws-vault v7 does (ConfigLoader in its
// vault/config.go, https://github.com/99designs/aws-vault/blob/v7.2.0/vault/config.go):
// for each field the first non-empty value of the command line (Base), the
// environment, the profile's section, its include_profile chain and
// finally [default].
type Loader struct {
	File *File
	// Base holds command-line values applied to every profile of a chain.
	Base Profile
	// Getenv reads the environment.
	Getenv func(string) string
	// ActiveProfile is the profile the user asked for; only it receives
	// AWS_ROLE_ARN, AWS_ROLE_SESSION_NAME and the tag variables.
	ActiveProfile string
}

// Load resolves profile and, recursively, its source profiles. A
// source_profile or include_profile loop is an error naming the loop.
func (l *Loader) Load(profile string) (*Profile, error) {
	return l.load(profile, nil)
}

// LoadProfile resolves profile, the one the user asked for, from f: the
// usual set-up of a Loader. cmdline holds the command-line values applied
// to every profile of the chain (the zero Profile for none).
func (f *File) LoadProfile(profile string, getenv func(string) string, cmdline Profile) (*Profile, error) {
	l := &Loader{File: f, Base: cmdline, Getenv: getenv, ActiveProfile: profile}
	return l.Load(profile)
}

func (l *Loader) load(profile string, sourcePath []string) (*Profile, error) {
	sourcePath = append(sourcePath, profile)
	cfg := l.Base
	cfg.ProfileName = profile
	cfg.HasSection = l.File.HasProfileSection(profile)
	cfg.ConfigPath = l.File.Path
	if err := l.applyEnv(&cfg, profile == l.ActiveProfile); err != nil {
		return nil, err
	}
	if err := l.applySections(&cfg, profile, nil); err != nil {
		return nil, err
	}
	if cfg.SourceProfileName == profile {
		cfg.SourceProfileName = ""
	}
	cfg.SetDefaults()
	if cfg.SourceProfileName == "" {
		return &cfg, nil
	}
	if slices.Contains(sourcePath, cfg.SourceProfileName) {
		loop := append(sourcePath, cfg.SourceProfileName)
		return nil, &KeyError{Profile: sourcePath[0], Key: "source_profile",
			Err: fmt.Errorf("source_profile loop in %s: %s", l.File.Path, strings.Join(loop, " -> "))}
	}
	src, err := l.load(cfg.SourceProfileName, sourcePath)
	if err != nil {
		return nil, err
	}
	src.ChainedFromProfile = &cfg
	cfg.SourceProfile = src
	if cfg.MFAProcess == "" {
		// The maintained fork's fix: a role inherits its source's mfa_process.
		cfg.MFAProcess = src.MFAProcess
	}
	return &cfg, nil
}

// applySections fills cfg from profile's section, then its include_profile
// (or [default]) recursively.
func (l *Loader) applySections(cfg *Profile, profile string, path []string) error {
	if slices.Contains(path, profile) {
		if profile == defaultSectionName {
			return nil // every include chain ends in [default]; reaching it twice is not a loop
		}
		loop := append(path, profile)
		return &KeyError{Profile: path[0], Key: "include_profile",
			Err: fmt.Errorf("include_profile loop in %s: %s", l.File.Path, strings.Join(loop, " -> "))}
	}
	path = append(path, profile)
	sec, _ := l.File.ProfileSection(profile)
	if err := l.applySection(cfg, sec); err != nil {
		return err
	}
	switch {
	case sec.IncludeProfile != "":
		return l.applySections(cfg, sec.IncludeProfile, path)
	case profile != defaultSectionName:
		return l.applySections(cfg, defaultSectionName, path)
	}
	return nil
}

func (l *Loader) applySection(cfg *Profile, s ProfileSection) error {
	if s.SSOSession != "" && cfg.SSOSession == "" {
		cfg.SSOSession = s.SSOSession
		// sso-session values beat the profile's inline sso_start_url/sso_region.
		if sso, ok := l.File.SSOSessionSection(s.SSOSession); ok {
			cfg.SSOSessionFound = true
			cfg.SSOStartURL = sso.SSOStartURL
			cfg.SSORegion = sso.SSORegion
			cfg.SSORegistrationScopes = sso.SSORegistrationScopes
		}
	}
	for dst, v := range map[*string]string{
		&cfg.MFASerial: s.MFASerial, &cfg.MFAProcess: s.MFAProcess, &cfg.RoleARN: s.RoleARN,
		&cfg.ExternalID: s.ExternalID, &cfg.Region: s.Region, &cfg.RoleSessionName: s.RoleSessionName,
		&cfg.SourceProfileName: s.SourceProfile, &cfg.CredentialProcess: s.CredentialProcess,
		&cfg.WebIdentityTokenFile: s.WebIdentityTokenFile, &cfg.WebIdentityTokenProcess: s.WebIdentityTokenProcess,
		&cfg.STSRegionalEndpoints: s.STSRegionalEndpoints, &cfg.SourceIdentity: s.SourceIdentity,
		&cfg.EndpointURL: s.EndpointURL, &cfg.SSOStartURL: s.SSOStartURL, &cfg.SSORegion: s.SSORegion,
		&cfg.SSOAccountID: s.SSOAccountID, &cfg.SSORoleName: s.SSORoleName,
	} {
		setString(dst, v)
	}
	setDuration(&cfg.AssumeRoleDuration, time.Duration(s.DurationSeconds)*time.Second)
	return l.applySectionTags(cfg, s)
}

func (l *Loader) applySectionTags(cfg *Profile, s ProfileSection) error {
	if cfg.SessionTags == nil && s.SessionTags != "" {
		tags, err := ParseSessionTags(s.SessionTags)
		if err != nil {
			return &KeyError{Profile: s.Name, Key: "session_tags", Err: fmt.Errorf("profile %s: session_tags: %w", s.Name, err)}
		}
		cfg.SessionTags = tags
	}
	if cfg.TransitiveSessionTags == nil && s.TransitiveSessionTags != "" {
		cfg.TransitiveSessionTags = ParseTransitiveTags(s.TransitiveSessionTags)
	}
	return nil
}

// applyEnv applies the environment variables aws-vault v7 reads for a
// profile: the region and STS endpoint variables, AWS_MFA_SERIAL and the
// four *_TTL durations for every profile of the chain; AWS_ROLE_ARN,
// AWS_ROLE_SESSION_NAME, AWS_SOURCE_IDENTITY and the tag variables for the
// active profile only.
func (l *Loader) applyEnv(cfg *Profile, target bool) error {
	get := l.Getenv
	setString(&cfg.Region, get("AWS_REGION"))
	setString(&cfg.Region, get("AWS_DEFAULT_REGION"))
	setString(&cfg.STSRegionalEndpoints, get("AWS_STS_REGIONAL_ENDPOINTS"))
	setString(&cfg.MFASerial, get("AWS_MFA_SERIAL"))
	for dst, name := range map[*time.Duration]string{
		&cfg.AssumeRoleDuration:                "AWS_ASSUME_ROLE_TTL",
		&cfg.NonChainedGetSessionTokenDuration: "AWS_SESSION_TOKEN_TTL",
		&cfg.ChainedGetSessionTokenDuration:    "AWS_CHAINED_SESSION_TOKEN_TTL",
		&cfg.GetFederationTokenDuration:        "AWS_FEDERATION_TOKEN_TTL",
	} {
		if err := envDuration(dst, name, get(name)); err != nil {
			return err
		}
	}
	if !target {
		return nil
	}
	setString(&cfg.RoleARN, get("AWS_ROLE_ARN"))
	setString(&cfg.RoleSessionName, get("AWS_ROLE_SESSION_NAME"))
	setString(&cfg.SourceIdentity, get("AWS_SOURCE_IDENTITY"))
	if v := get("AWS_SESSION_TAGS"); v != "" && cfg.SessionTags == nil {
		tags, err := ParseSessionTags(v)
		if err != nil {
			return fmt.Errorf("AWS_SESSION_TAGS: %w", err)
		}
		cfg.SessionTags = tags
	}
	if v := get("AWS_TRANSITIVE_TAGS"); v != "" && cfg.TransitiveSessionTags == nil {
		cfg.TransitiveSessionTags = ParseTransitiveTags(v)
	}
	return nil
}

// envDuration sets *dst, when no value was given before (--duration), to
// the duration in the environment variable name, if it is set.
func envDuration(dst *time.Duration, name, value string) error {
	if value == "" || *dst != 0 {
		return nil
	}
	d, err := EnvDuration(name, value, 0, "1h or 90m")
	if err != nil {
		return err
	}
	*dst = d
	return nil
}

// KeyError is a profile that cannot be resolved because of one of its
// keys: Profile's Key (whose line doctor points at). In a loop, Profile is
// the one the loop was entered from. Its text is Err's.
type KeyError struct {
	Profile, Key string
	Err          error
}

func (e *KeyError) Error() string { return e.Err.Error() }
func (e *KeyError) Unwrap() error { return e.Err }
