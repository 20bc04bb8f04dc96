package config_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/awsvault/aws-vault/vault/config"
)

// Outline gives each section and key its line; comments, blank lines and
// nested values are not keys.
func TestOutline(t *testing.T) {
	cfg, err := config.Parse("/c", []byte("# top\n[default]\nregion = us-east-1 ; note\n\n[profile a]\n; c\nS3 =\n  max_concurrent_requests = 20\n  x = y\nrole_arn = arn\n[services s]\ns3 =\n  endpoint_url = http://x\n"))
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(cfg.Outline())
	want := "[{default 2 [{region 3 us-east-1 ; note}]} {profile a 5 [{s3 7 } {role_arn 10 arn}]} {services s 11 [{s3 12 }]}]"
	if got != want {
		t.Errorf("Outline:\n got  %s\n want %s", got, want)
	}
	if p, ok := config.ProfileOf("profile a"); !ok || p != "a" {
		t.Errorf("ProfileOf = %q, %v", p, ok)
	}
	if _, ok := config.ProfileOf("services s"); ok {
		t.Error("services section taken for a profile")
	}
}

// Outline splits a key where go-ini does, at the first '=' or ':': a
// value holding the other one (a URL, a command's --flag=value) stays out
// of the key's name, which doctor prints.
func TestOutlineDelimiters(t *testing.T) {
	cfg, err := config.Parse("/c", []byte("[profile a] ; note\nsso_start_url: https://x/start#/?a=b\ncredential_process = cmd --token=s3cr3t:x\n"))
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(cfg.Outline())
	want := "[{profile a 1 [{sso_start_url 2 https://x/start#/?a=b} {credential_process 3 cmd --token=s3cr3t:x}]}]"
	if got != want {
		t.Errorf("Outline:\n got  %s\n want %s", got, want)
	}
}

// ReadFile creates nothing; a syntax error carries its file and line.
func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "sub", "config")
	if _, err := config.ReadFile(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "sub")); !errors.Is(err, os.ErrNotExist) {
		t.Error("ReadFile created the directory")
	}
	bad := filepath.Join(dir, "bad")
	if err := os.WriteFile(bad, []byte("[default]\nregion = x\nnot ini\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := config.ReadFile(bad)
	var syntax *config.SyntaxError
	if !errors.As(err, &syntax) || syntax.Line != 3 || syntax.Path != bad ||
		err.Error() != "config file "+bad+", line 3: not a section header or key = value line" {
		t.Errorf("syntax error: %v", err)
	}
}

// ProfileKeys and SSOSessionKeys, which doctor uses to tell aws-vault's
// keys from the AWS CLI's, are exactly the keys the sections are read
// with: each one fills one field, and every field is filled by one.
func TestKnownKeysMatchSections(t *testing.T) {
	var b strings.Builder
	b.WriteString("[profile p]\n")
	for i, k := range config.ProfileKeys {
		fmt.Fprintf(&b, "%s = %d\n", k, i+1)
	}
	b.WriteString("[sso-session s]\n")
	for i, k := range config.SSOSessionKeys {
		fmt.Fprintf(&b, "%s = %d\n", k, i+1)
	}
	cfg, err := config.Parse("/c", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	ps, _ := cfg.ProfileSection("p")
	ss, _ := cfg.SSOSessionSection("s")
	for _, c := range []struct {
		what string
		v    any
		keys []string
	}{{"ProfileSection", ps, config.ProfileKeys}, {"SSOSessionSection", ss, config.SSOSessionKeys}} {
		v := reflect.ValueOf(c.v)
		seen := map[string]string{}
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if f.Name == "Name" {
				continue
			}
			val := fmt.Sprint(v.Field(i).Interface())
			if val == "" || val == "0" {
				t.Errorf("%s.%s is read with a key missing from the known keys", c.what, f.Name)
				continue
			}
			if other, dup := seen[val]; dup {
				t.Errorf("%s.%s and %s are filled by the same key", c.what, f.Name, other)
			}
			seen[val] = f.Name
		}
		if len(seen) != len(c.keys) {
			t.Errorf("%s: %d known keys fill %d fields: a known key is read by nothing", c.what, len(c.keys), len(seen))
		}
	}
}
