package config_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/awsvault/aws-vault/vault/config"
)

const credsText = "# my keys\r\n" +
	"[default]\r\n" +
	"aws_access_key_id = AKIABOBEXAMPLE000001\r\n" +
	"aws_secret_access_key = bobSecretKey0000000000000000000000000001\r\n" +
	"region = eu-west-1\r\n" +
	"\r\n" +
	"[temp]\n" +
	"aws_access_key_id=ASIATEMPEXAMPLE00001\n" +
	"aws_secret_access_key=tempSecret\n" +
	"aws_session_token=tempToken\n" +
	"[DEFAULT]\n" +
	"aws_access_key_id = AKIADEFAULTSECTION01\n" +
	"[carol] ; work\n" +
	"  AWS_Access_Key_ID: AKIACAROLEXAMPLE0001\n" +
	"; the secret\n" +
	"aws_secret_access_key = \"carolSecretKey00000000000000000000000001\"\n" +
	"[carol.eu]\n" +
	"region = eu-west-1\n" +
	"[default]\n" +
	"output = json\n" +
	"[quoted]\n" +
	"\"aws_access_key_id\" = AKIAQUOTEDEXAMPLE001\n" +
	"`aws_secret_access_key` = quotedSecret"

func TestParseCredentialsFile(t *testing.T) {
	cf, err := config.ParseCredentialsFile("/c", []byte(credsText))
	if err != nil {
		t.Fatal(err)
	}
	want := []config.CredentialsProfile{
		{Name: "default", Line: 2, AccessKeyID: "AKIABOBEXAMPLE000001", SecretAccessKey: "bobSecretKey0000000000000000000000000001"},
		{Name: "temp", Line: 7, AccessKeyID: "ASIATEMPEXAMPLE00001", SecretAccessKey: "tempSecret", SessionToken: "tempToken"},
		{Name: "carol", Line: 13, AccessKeyID: "AKIACAROLEXAMPLE0001", SecretAccessKey: "carolSecretKey00000000000000000000000001"},
		// A dotted name does not inherit its prefix's keys here.
		{Name: "carol.eu", Line: 17},
		{Name: "quoted", Line: 21, AccessKeyID: "AKIAQUOTEDEXAMPLE001", SecretAccessKey: "quotedSecret"},
	}
	if len(cf.Profiles) != len(want) {
		t.Fatalf("profiles %+v", cf.Profiles)
	}
	for i, p := range cf.Profiles {
		if p != want[i] {
			t.Errorf("profile %d: got %+v, want %+v", i, p, want[i])
		}
	}
	if _, ok := cf.Profile("DEFAULT"); ok {
		t.Error("[DEFAULT] taken for a profile")
	}
}

func TestCredentialsFileWithoutKeys(t *testing.T) {
	cf, err := config.ParseCredentialsFile("/c", []byte(credsText))
	if err != nil {
		t.Fatal(err)
	}
	if got := cf.WithoutKeys(nil); string(got) != credsText {
		t.Errorf("nothing to remove changed the file:\n%q", got)
	}
	want := "# my keys\r\n" +
		"[default]\r\n" +
		"region = eu-west-1\r\n" +
		"\r\n" +
		"[temp]\n" +
		"aws_access_key_id=ASIATEMPEXAMPLE00001\n" +
		"aws_secret_access_key=tempSecret\n" +
		"aws_session_token=tempToken\n" +
		"[DEFAULT]\n" +
		"aws_access_key_id = AKIADEFAULTSECTION01\n" +
		"[carol] ; work\n" +
		"; the secret\n" +
		"[carol.eu]\n" +
		"region = eu-west-1\n" +
		"[default]\n" +
		"output = json\n" +
		"[quoted]\n"
	if got := string(cf.WithoutKeys([]string{"default", "carol", "quoted"})); got != want {
		t.Errorf("got:\n%q\nwant:\n%q", got, want)
	}
}

func TestParseCredentialsFileErrors(t *testing.T) {
	for text, want := range map[string]string{
		"[a]\naws_secret_access_key SECRETSECRET\n": "credentials file /c, line 2: not a section header or key = value line",
		"aws_access_key_id = AKIA\n[a]\n":           "credentials file /c, line 1: key outside of any [profile] section",
		"[a]\nk=v\n[SECRETSECRET\n":                 "credentials file /c, line 3: section header without a closing ]",
		"[]\n":                                      "credentials file /c, line 1: empty section name, or spaces around it",
		"[ a ]\n":                                   "credentials file /c, line 1: empty section name, or spaces around it",
		"[a] SECRETSECRET\n":                        "credentials file /c, line 1: text after a section header",
		"[a]\n= SECRETSECRET\n":                     "credentials file /c, line 2: not a section header or key = value line",
	} {
		_, err := config.ParseCredentialsFile("/c", []byte(text))
		if err == nil || err.Error() != want {
			t.Errorf("%q: error %v, want %q", text, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "SECRET") {
			t.Errorf("%q: error shows the file's text: %v", text, err)
		}
	}
}

func TestLoadCredentialsFileMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "credentials")
	_, err := config.LoadCredentialsFile(path)
	if err == nil || err.Error() != "credentials file "+path+" does not exist" {
		t.Errorf("error %v", err)
	}
}

func TestRemoveKeysKeepsModeAndBacksUp(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real-credentials")
	if err := os.WriteFile(real, []byte(credsText), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(real, 0o640); err != nil { // whatever the umask
		t.Fatal(err)
	}
	link := filepath.Join(dir, "credentials")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	cf, err := config.LoadCredentialsFile(link)
	if err != nil {
		t.Fatal(err)
	}
	if err := cf.RemoveKeys([]string{"carol"}, true); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symlink was replaced: %v", err)
	}
	got, _ := os.ReadFile(real)
	if !bytes.Equal(got, cf.WithoutKeys([]string{"carol"})) || bytes.Contains(got, []byte("carolSecret")) {
		t.Errorf("rewritten file:\n%s", got)
	}
	if fi, _ := os.Stat(real); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", fi.Mode().Perm())
	}
	bak, err := os.ReadFile(link + ".bak")
	if err != nil || string(bak) != credsText {
		t.Errorf("backup %q, %v", bak, err)
	}
	if fi, _ := os.Stat(link + ".bak"); fi.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v, want 0600", fi.Mode().Perm())
	}
}

// FuzzParseCredentialsFile: parsing never panics, and taking nothing out
// gives the file back byte for byte.
func FuzzParseCredentialsFile(f *testing.F) {
	f.Add(credsText)
	f.Add("[a]\nk=v")
	f.Add("[a]\r\n\r\n  x : y\r\n# c\r\n[b]\nk=\"v\" ; c\n")
	f.Fuzz(func(t *testing.T, text string) {
		cf, err := config.ParseCredentialsFile("/c", []byte(text))
		if err != nil {
			return
		}
		if got := cf.WithoutKeys(nil); string(got) != text {
			t.Errorf("WithoutKeys(nil) = %q, want %q", got, text)
		}
		var names []string
		for _, p := range cf.Profiles {
			names = append(names, p.Name)
		}
		if _, err := config.ParseCredentialsFile("/c", cf.WithoutKeys(names)); err != nil {
			t.Errorf("the file without keys does not parse: %v", err)
		}
	})
}
