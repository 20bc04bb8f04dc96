package vault

import (
	"regexp"
	"testing"
)

// The regular expressions the hand-written matchers of sessionkeymatch.go
// stand for.
var keyShapePatterns = []struct {
	name  string
	re    *regexp.Regexp
	match func(string) bool
}{
	{"current", regexp.MustCompile(`^[^,]+,[^,]+,[^,]*,[0-9]+$`), func(s string) bool { _, ok := currentKeyShape(s); return ok }},
	{"v5", regexp.MustCompile(`^session,[^,]+,[^,]*,[0-9]{2,}$`), legacyV5KeyShape},
	{"colon", regexp.MustCompile(`^session:[^:]+:.*:[0-9]+$`), legacyColonKeyShape},
	{"paren", regexp.MustCompile(`^.+ session \([0-9]+\)$`), legacyParenKeyShape},
}

var keyShapeSeeds = []string{
	"", ",", ",,,", "a,b,,1", "a,b,c,1", "a,,c,1", ",b,c,1", "a,b,c,", "a,b,c,1x", "a,b,c,1,2", "a,b\n,c,1",
	"sts.GetSessionToken,cGxhaW4,,1796195449", "sts.AssumeRole,YWRtaW4,YXJuOmF3cw,1796195449",
	"session,cGxhaW4,,1700000000", "session,cGxhaW4,,1", "session,,,12", "sessions,a,,12",
	"session:plain:arn:aws:iam::1:mfa/x:1700000000", "session:plain::1", "session::x:1", "session:p:1",
	"session:p:a\nb:1", "session:p\n:x:1", "session:p:x:", "session:p:x:1a", "session:p:x:1:",
	"plain session (1700000000)", " session (1)", "x session ()", "x session (1) ", "a\nb session (1)",
	"x session (1) session (2)", "x session (1 session (2)", "p session (1))", "\xff session (1)", "\xff,\xfe,,1",
	"session:\xff:\xfe:1", "é session (3)", "session,é,,99",
}

func TestKeyShapesMatchPatterns(t *testing.T) {
	for _, s := range keyShapeSeeds {
		for _, p := range keyShapePatterns {
			if got, want := p.match(s), p.re.MatchString(s); got != want {
				t.Errorf("%s(%q) = %v, the pattern says %v", p.name, s, got, want)
			}
		}
	}
}

// FuzzKeyShapes checks every matcher against its pattern on any input.
func FuzzKeyShapes(f *testing.F) {
	for _, s := range keyShapeSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range keyShapePatterns {
			if got, want := p.match(s), p.re.MatchString(s); got != want {
				t.Fatalf("%s(%q) = %v, the pattern says %v", p.name, s, got, want)
			}
		}
	})
}
