package config

import (
	"bufio"
	"bytes"
	"strings"
)

// Section is one section of the config file as written: its header's line
// and its keys' lines, for messages that point at a line.
type Section struct {
	// Name is the header's text between the brackets, e.g. "profile work".
	Name string
	Line int
	Keys []Key
}

// Key is one key of a section, lower-cased as aws-vault reads it.
type Key struct {
	Name string
	Line int
	// Value is empty for a key with nested values (the AWS CLI's
	// "s3 =" followed by indented lines); the nested lines are not keys.
	Value string
}

// Outline lists the file's sections and keys with their line numbers. It
// follows the parser's rules closely enough to point at lines: comments
// start with # or ;, indented lines after a key without a value are its
// nested values. Lines before the first header belong to no section and
// are left out.
func (c *File) Outline() []Section {
	var out []Section
	sc := bufio.NewScanner(bytes.NewReader(c.raw))
	sc.Buffer(make([]byte, 0, 64*1024), maxConfigSize)
	nested := false
	for n := 1; sc.Scan(); n++ {
		raw := sc.Text()
		line := strings.TrimSpace(raw)
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
			continue
		case nested && raw != line && (raw[0] == ' ' || raw[0] == '\t'):
			continue
		case line[0] == '[' && strings.LastIndexByte(line, ']') > 0:
			// As go-ini: the name runs to the last ']' (a comment may follow).
			out = append(out, Section{Name: strings.TrimSpace(line[1:strings.LastIndexByte(line, ']')]), Line: n})
			nested = false
			continue
		}
		if len(out) == 0 {
			continue
		}
		// As go-ini: the key ends at the first '=' or ':', whichever comes
		// first (a value may hold the other one, as in a URL).
		name, value := line, ""
		if i := strings.IndexAny(line, "=:"); i >= 0 {
			name, value = line[:i], line[i+1:]
		}
		k := Key{Name: strings.ToLower(strings.TrimSpace(name)), Line: n, Value: strings.TrimSpace(value)}
		nested = k.Value == ""
		s := &out[len(out)-1]
		s.Keys = append(s.Keys, k)
	}
	return out
}

// ProfileOf returns the profile a section header names ("default" for
// [default]) and whether it names one.
func ProfileOf(section string) (string, bool) {
	if section == defaultSectionName {
		return section, true
	}
	name, ok := strings.CutPrefix(section, profilePrefix)
	return strings.TrimSpace(name), ok
}

// SSOSessionOf returns the sso-session a section header names.
func SSOSessionOf(section string) (string, bool) {
	name, ok := strings.CutPrefix(section, ssoSessionPrefix)
	return strings.TrimSpace(name), ok
}

// ProfileKeys are the keys aws-vault reads in a profile section.
var ProfileKeys = []string{
	"mfa_serial", "mfa_process", "role_arn", "external_id", "region", "role_session_name", "source_profile",
	"include_profile", "duration_seconds", "credential_process", "web_identity_token_file",
	"web_identity_token_process", "sts_regional_endpoints", "session_tags", "transitive_session_tags",
	"source_identity", "endpoint_url", "sso_session", "sso_start_url", "sso_region", "sso_account_id",
	"sso_role_name",
}

// SSOSessionKeys are the keys aws-vault reads in an sso-session section.
var SSOSessionKeys = []string{"sso_start_url", "sso_region", "sso_registration_scopes"}

// ReadFile reads and parses the config file at path without creating it:
// a missing file is an error satisfying errors.Is(err, os.ErrNotExist).
func ReadFile(path string) (*File, error) {
	raw, err := readConfig(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, raw)
}
