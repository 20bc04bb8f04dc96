package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/awsvault/aws-vault/internal/atomicfile"
	"gopkg.in/ini.v1"
)

// CredentialsFile is a parsed shared credentials file (~/.aws/credentials):
// its profiles' keys, as the INI parser of the config file reads them
// (parseINI), and an index of its lines so that keys can be taken out while
// every other byte is kept.
type CredentialsFile struct {
	// Path is the file it was read from.
	Path string
	// Profiles are the file's sections in file order (a name once).
	Profiles []CredentialsProfile
	raw      []byte
	lines    []credLine
}

// CredentialsProfile is one section of a credentials file.
type CredentialsProfile struct {
	// Name is the section name: the profile name, "default" for [default].
	Name string
	// Line is the line number of its (first) section header.
	Line            int
	AccessKeyID     string
	SecretAccessKey string
	// SessionToken is aws_session_token (or the older aws_security_token).
	SessionToken string
}

// credLine is one line of the file: its bytes (line ending included), the
// section it is in and, for a key line, the key (lower case).
type credLine struct {
	text    []byte
	section string
	key     string
}

// CredentialsFilePath is the shared credentials file:
// $AWS_SHARED_CREDENTIALS_FILE, else <home>/.aws/credentials.
func CredentialsFilePath(getenv func(string) string, home string) string {
	if p := getenv("AWS_SHARED_CREDENTIALS_FILE"); p != "" {
		return p
	}
	return filepath.Join(home, ".aws", "credentials")
}

// LoadCredentialsFile reads and parses the credentials file at path.
func LoadCredentialsFile(path string) (*CredentialsFile, error) {
	raw, err := readSmallFile(path, "credentials file")
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("credentials file %s does not exist", path)
	}
	var pathErr *os.PathError
	if errors.As(err, &pathErr) {
		return nil, fmt.Errorf("credentials file %s: %w", path, pathErr.Err)
	}
	if err != nil {
		return nil, err
	}
	return ParseCredentialsFile(path, raw)
}

// ParseCredentialsFile parses credentials file contents read from path.
// Errors name the file and line, never the line's text (it may hold a
// secret).
func ParseCredentialsFile(path string, raw []byte) (*CredentialsFile, error) {
	lines, err := indexLines(raw)
	if err != nil {
		return nil, fmt.Errorf("credentials file %s, %w", path, err)
	}
	f, err := parseINI(raw)
	if err != nil {
		return nil, fmt.Errorf("credentials file %s: not in INI format", path)
	}
	cf := &CredentialsFile{Path: path, raw: raw, lines: lines}
	for i, l := range lines {
		if l.key != "" || l.section == "" || slices.ContainsFunc(cf.Profiles, func(p CredentialsProfile) bool { return p.Name == l.section }) {
			continue
		}
		if l.section == ini.DefaultSection {
			continue // [DEFAULT] is not a profile, as in the config file
		}
		// The section's own keys: unlike the config file, a dotted name
		// does not inherit from its prefix here.
		keys := f.Section(l.section).KeysHash()
		token := keys["aws_session_token"]
		if token == "" {
			token = keys["aws_security_token"]
		}
		cf.Profiles = append(cf.Profiles, CredentialsProfile{
			Name: l.section, Line: i + 1, AccessKeyID: keys["aws_access_key_id"],
			SecretAccessKey: keys["aws_secret_access_key"], SessionToken: token,
		})
	}
	return cf, nil
}

// indexLines splits raw into lines and says what each is: blank or
// comment, section header, key = value (the key, never the value: values
// are the INI parser's). It rejects what AWS tools reject.
func indexLines(raw []byte) ([]credLine, error) {
	var lines []credLine
	section := ""
	for n, text := 1, raw; len(text) > 0; n++ {
		end := bytes.IndexByte(text, '\n') + 1
		if end == 0 {
			end = len(text)
		}
		l := credLine{text: text[:end], section: section}
		text = text[end:]
		s := strings.TrimSpace(string(l.text))
		switch {
		case s == "" || s[0] == '#' || s[0] == ';':
		case s[0] == '[':
			name, err := sectionHeader(s)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", n, err)
			}
			section, l.section = name, name
			l.key = ""
		default:
			i := strings.IndexAny(s, "=:")
			if i <= 0 {
				return nil, fmt.Errorf("line %d: not a section header or key = value line", n)
			}
			if section == "" {
				return nil, fmt.Errorf("line %d: key outside of any [profile] section", n)
			}
			l.key = strings.ToLower(unquoteKey(strings.TrimSpace(s[:i])))
		}
		lines = append(lines, l)
	}
	return lines, nil
}

// unquoteKey drops the quotes or backquotes go-ini accepts around a key.
func unquoteKey(k string) string {
	for _, q := range []string{`"`, "`"} {
		if len(k) >= 2 && strings.HasPrefix(k, q) && strings.HasSuffix(k, q) {
			return k[1 : len(k)-1]
		}
	}
	return k
}

// sectionHeader returns the name in a "[name]" line (a comment may follow).
func sectionHeader(s string) (string, error) {
	end := strings.IndexByte(s, ']')
	if end < 0 {
		return "", errors.New("section header without a closing ]")
	}
	if rest := strings.TrimSpace(s[end+1:]); rest != "" && rest[0] != '#' && rest[0] != ';' {
		return "", errors.New("text after a section header")
	}
	name := s[1:end]
	if name == "" || strings.TrimSpace(name) != name {
		return "", errors.New("empty section name, or spaces around it")
	}
	return name, nil
}

// Profile returns the named profile and whether the file has it.
func (cf *CredentialsFile) Profile(name string) (CredentialsProfile, bool) {
	i := slices.IndexFunc(cf.Profiles, func(p CredentialsProfile) bool { return p.Name == name })
	if i < 0 {
		return CredentialsProfile{Name: name}, false
	}
	return cf.Profiles[i], true
}

// WithoutKeys returns the file's contents without the aws_access_key_id and
// aws_secret_access_key lines of the named profiles. Every other byte is
// kept: section headers, comments, other keys and the other profiles.
func (cf *CredentialsFile) WithoutKeys(profiles []string) []byte {
	var out bytes.Buffer
	out.Grow(len(cf.raw))
	for _, l := range cf.lines {
		if (l.key == "aws_access_key_id" || l.key == "aws_secret_access_key") && slices.Contains(profiles, l.section) {
			continue
		}
		out.Write(l.text)
	}
	return out.Bytes()
}

// RemoveKeys rewrites the file atomically without the keys of profiles
// (see WithoutKeys), keeping its mode. With backup it first writes the
// original contents to <path>.bak, readable by the owner only.
func (cf *CredentialsFile) RemoveKeys(profiles []string, backup bool) error {
	st, err := os.Stat(cf.Path)
	if err != nil {
		return fmt.Errorf("credentials file %s: %w", cf.Path, err)
	}
	out := cf.WithoutKeys(profiles)
	if err := cf.checkRemoved(out, profiles); err != nil {
		return err
	}
	if backup {
		if err := atomicfile.Write(cf.Path+".bak", cf.raw, 0o600); err != nil {
			return fmt.Errorf("writing backup %s.bak: %w", cf.Path, err)
		}
	}
	if err := atomicfile.Write(cf.Path, out, st.Mode().Perm()); err != nil {
		return fmt.Errorf("rewriting credentials file %s: %w", cf.Path, err)
	}
	return nil
}

// checkRemoved parses the rewritten contents as the AWS tools would and
// makes sure no key of profiles is left (a key line spelled in a way the
// line scanner does not recognise, such as a quoted key name).
func (cf *CredentialsFile) checkRemoved(out []byte, profiles []string) error {
	after, err := ParseCredentialsFile(cf.Path, out)
	for _, name := range profiles {
		if err != nil {
			break
		}
		if p, ok := after.Profile(name); ok && (p.AccessKeyID != "" || p.SecretAccessKey != "") {
			err = fmt.Errorf("profile %q", name)
		}
	}
	if err != nil {
		return fmt.Errorf("credentials file %s: the keys could not be taken out safely (%v); the file is unchanged", cf.Path, err)
	}
	return nil
}
