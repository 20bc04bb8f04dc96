package config_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/config"
)

func TestValidateProfileName(t *testing.T) {
	for name, want := range map[string]string{
		"work":          "",
		"my profile":    "",
		"dev.eu-west-1": "",
		"équipe":        "",
		"":              "the profile name is empty",
		"a\nb":          `profile name "a\nb" contains a control character (U+000A); nothing was written`,
		"a\rb":          `profile name "a\rb" contains a control character (U+000D); nothing was written`,
		"a\tb":          `profile name "a\tb" contains a control character (U+0009); nothing was written`,
		"a\x7fb":        `profile name "a\x7fb" contains a control character (U+007F); nothing was written`,
		"a]b":           `profile name "a]b" contains ']', which config section headers cannot hold; nothing was written`,
		"a[b":           `profile name "a[b" contains '[', which config section headers cannot hold; nothing was written`,
		"bad\xff":       `profile name "bad\xff" is not valid UTF-8; nothing was written`,
		" x":            `profile name " x" starts or ends with white space; nothing was written`,
		"x]\ncredential_process = touch /tmp/pwned\n[profile y": `profile name "x]\ncredential_process = touch /tmp/pwned\n[profile y" contains ']', which config section headers cannot hold; nothing was written`,
	} {
		if got := errText(config.ValidateProfileName(name)); got != want {
			t.Errorf("%q: %q, want %q", name, got, want)
		}
	}
}

// FuzzAppendProfileName: a name AppendProfile accepts comes back from the
// file as exactly one new section of that name with nothing in it; a name
// it refuses leaves the file as it was.
func FuzzAppendProfileName(f *testing.F) {
	for _, seed := range []string{"work", "x]\ncredential_process = touch /tmp/pwned", "a\nb", "bad\xff", "a b", "default", "a#b", "a;b", "a=b"} {
		f.Add(seed)
	}
	dir := f.TempDir()
	locker := &vault.Locker{Dir: filepath.Join(dir, "locks")}
	f.Fuzz(func(t *testing.T, name string) {
		path := filepath.Join(dir, "config")
		orig := "[profile base]\nregion = us-east-1\n"
		if err := os.WriteFile(path, []byte(orig), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := config.LoadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		added, err := cfg.AppendProfile(context.Background(), locker.Lock, name, nil)
		got, _ := os.ReadFile(path)
		if err != nil || name == "base" {
			if string(got) != orig || added {
				t.Fatalf("refused %q (%v) but the file changed:\n%s", name, err, got)
			}
			return
		}
		back, err := config.Parse(path, got)
		if err != nil {
			t.Fatalf("%q: the file no longer parses: %v", name, err)
		}
		for _, n := range back.ProfileNames() {
			if n != "base" && n != name {
				t.Fatalf("%q: appending made a profile %q", name, n)
			}
		}
		if !back.HasProfileSection(name) {
			t.Fatalf("%q: no section after append:\n%s", name, got)
		}
		if sec, _ := back.ProfileSection(name); sec != (config.ProfileSection{Name: sec.Name}) {
			t.Fatalf("%q: the new section has settings: %+v", name, sec)
		}
	})
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
