package vault

import "strings"

// The shapes of session key names, matched by hand rather than with
// package regexp: compiling the patterns in package initialisation cost
// every call, warm ones included, about 0.1 ms. sessionkeymatch_test.go
// checks each matcher against the regular expression it stands for.

// currentKeyShape matches ^[^,]+,[^,]+,[^,]*,[0-9]+$ (the current session
// key format), and returns the fields.
func currentKeyShape(s string) ([]string, bool) {
	f := strings.Split(s, sessionKeyFieldSeparator)
	if len(f) != sessionKeyExpectedFieldsNumber || f[0] == "" || f[1] == "" || !allDigits(f[3]) {
		return nil, false
	}
	return f, true
}

// legacyV5KeyShape matches ^session,[^,]+,[^,]*,[0-9]{2,}$.
func legacyV5KeyShape(s string) bool {
	f, ok := currentKeyShape(s)
	return ok && f[0] == legacySessionType && len(f[3]) >= 2
}

// legacyColonKeyShape matches ^session:[^:]+:.*:[0-9]+$.
func legacyColonKeyShape(s string) bool {
	rest, ok := strings.CutPrefix(s, legacySessionType+":")
	if !ok {
		return false
	}
	i := strings.IndexByte(rest, ':')
	if i <= 0 {
		return false
	}
	rest = rest[i+1:]
	j := strings.LastIndexByte(rest, ':')
	return j >= 0 && !strings.Contains(rest[:j], "\n") && allDigits(rest[j+1:])
}

// legacyParenKeyShape matches ^.+ session \([0-9]+\)$.
func legacyParenKeyShape(s string) bool {
	const mid = " " + legacySessionType + " ("
	body, ok := strings.CutSuffix(s, ")")
	if !ok {
		return false
	}
	i := strings.LastIndex(body, mid)
	return i > 0 && !strings.Contains(body[:i], "\n") && allDigits(body[i+len(mid):])
}

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
