package config

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ValidateProfileName refuses a profile name that cannot be written as it
// is: into a "[profile NAME]" header of the config file, or as a keyring
// item's key. A newline or another control character would break the file
// or, followed by "key = value", inject settings into it (a
// credential_process that the next exec runs); '[' and ']' would end the
// header early; invalid UTF-8 cannot be stored by every backend and would
// come back under another name; white space at either end is dropped by
// INI parsers, so the section would name another profile. The error quotes
// the name with Go escapes, so it stays one printable line.
func ValidateProfileName(name string) error {
	problem := ""
	switch {
	case name == "":
		return fmt.Errorf("the profile name is empty")
	case !utf8.ValidString(name):
		problem = "is not valid UTF-8"
	case strings.TrimSpace(name) != name:
		problem = "starts or ends with white space"
	default:
		problem = badRune(name)
	}
	if problem == "" {
		return nil
	}
	return fmt.Errorf("profile name %q %s; nothing was written", name, problem)
}

// badRune describes the first character of name a profile name cannot
// hold, or returns "".
func badRune(name string) string {
	for _, r := range name {
		switch {
		case unicode.IsControl(r):
			return fmt.Sprintf("contains a control character (%U)", r)
		case r == '[' || r == ']':
			return fmt.Sprintf("contains %q, which config section headers cannot hold", r)
		}
	}
	return ""
}
