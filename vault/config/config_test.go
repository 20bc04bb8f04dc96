package config_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/config"
)

func parse(t *testing.T, text string) *config.File {
	t.Helper()
	cfg, err := config.Parse("/home/u/.aws/config", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func load(t *testing.T, text, profile string, env map[string]string) (*config.Profile, error) {
	t.Helper()
	l := &config.Loader{File: parse(t, text), Getenv: func(k string) string { return env[k] }, ActiveProfile: profile}
	return l.Load(profile)
}

func mustLoad(t *testing.T, text, profile string, env map[string]string) *config.Profile {
	t.Helper()
	p, err := load(t, text, profile, env)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

const sampleConfig = `# comment
[default]
region=us-west-2
output=json

[profile user2]
REGION=us-east-1
mfa_Serial=arn:aws:iam::111111111111:mfa/user2

[profile withMFA]
source_profile=user2
Role_Arn=arn:aws:iam::4451234513441615400570:role/aws_admin
mfa_serial=arn:aws:iam::1234513441:mfa/blah
duration_seconds=1200
sts_regional_endpoints=legacy

[profile testincludeprofile1]
region=us-east-1

[profile testincludeprofile2]
include_profile=testincludeprofile1

[sso-session moon]
sso_start_url = https://moon.awsapps.com/start#/
sso_region = moon-2

[profile withsso]
sso_session = moon
sso_start_url = https://inline.example/start
region = moon-1

[profile commented]
region = eu-west-1 # a comment
sso_start_url = https://x.awsapps.com/start#/

[DEFAULT]
region = ignored
`

func TestSectionsAndKeys(t *testing.T) {
	cfg := parse(t, sampleConfig)
	want := []string{"default", "user2", "withMFA", "testincludeprofile1", "testincludeprofile2", "withsso", "commented"}
	if got := cfg.ProfileNames(); !reflect.DeepEqual(got, want) {
		t.Errorf("profiles %q, want %q", got, want)
	}
	sec, ok := cfg.ProfileSection("withMFA")
	if !ok || sec.RoleARN != "arn:aws:iam::4451234513441615400570:role/aws_admin" || sec.DurationSeconds != 1200 || sec.STSRegionalEndpoints != "legacy" {
		t.Errorf("withMFA section: %+v", sec)
	}
	if _, ok := cfg.ProfileSection("withmfa"); ok {
		t.Error("section names must be case-sensitive")
	}
	if sec, _ := cfg.ProfileSection("user2"); sec.Region != "us-east-1" || !strings.HasSuffix(sec.MFASerial, "mfa/user2") {
		t.Errorf("keys must be case-insensitive: %+v", sec)
	}
	if sec, _ := cfg.ProfileSection("commented"); sec.Region != "eu-west-1" || sec.SSOStartURL != "https://x.awsapps.com/start#/" {
		t.Errorf("comment handling: region %q, start url %q", sec.Region, sec.SSOStartURL)
	}
}

func TestResolution(t *testing.T) {
	if p := mustLoad(t, sampleConfig, "testincludeprofile2", nil); p.Region != "us-east-1" {
		t.Errorf("include_profile region %q", p.Region)
	}
	p := mustLoad(t, sampleConfig, "withsso", nil)
	if p.SSOStartURL != "https://moon.awsapps.com/start#/" || p.SSORegion != "moon-2" || p.Region != "moon-1" || !p.SSOSessionFound {
		t.Errorf("sso-session: %+v", p)
	}
	// An sso_session naming no section is said so (the chain refuses it);
	// the inline values still fill what they can.
	p = mustLoad(t, "[profile s]\nsso_session = gone\nsso_start_url = https://inline/start\n", "s", nil)
	if p.SSOSession != "gone" || p.SSOSessionFound || p.SSOStartURL != "https://inline/start" {
		t.Errorf("missing sso-session: %+v", p)
	}
	p = mustLoad(t, sampleConfig, "withMFA", nil)
	if p.SourceProfile == nil || p.SourceProfile.ProfileName != "user2" || p.SourceProfile.ChainedFromProfile != p {
		t.Fatalf("source profile not linked: %+v", p.SourceProfile)
	}
	if p.AssumeRoleDuration != 1200*time.Second || p.Region != "us-west-2" || p.ChainedGetSessionTokenDuration != 8*time.Hour {
		t.Errorf("withMFA: duration %v region %q", p.AssumeRoleDuration, p.Region)
	}
	if p := mustLoad(t, sampleConfig, "nosuchprofile", nil); p.HasSection || p.Region != "us-west-2" {
		t.Errorf("unknown profile: %+v", p)
	}
}

func TestDottedSectionInheritsParent(t *testing.T) {
	p := mustLoad(t, "[profile a]\nregion = eu-north-1\nrole_arn = R\n[profile a.b]\nrole_arn = S\n", "a.b", nil)
	if p.Region != "eu-north-1" || p.RoleARN != "S" {
		t.Errorf("a.b: region %q role %q", p.Region, p.RoleARN)
	}
}

func TestEnvironmentOverrides(t *testing.T) {
	env := map[string]string{"AWS_DEFAULT_REGION": "ap-south-1", "AWS_MFA_SERIAL": "arn:env", "AWS_ROLE_ARN": "arn:role:env",
		"AWS_SESSION_TAGS": "a=1, b = 2=3", "AWS_TRANSITIVE_TAGS": "a,,b", "AWS_ASSUME_ROLE_TTL": "2h"}
	p := mustLoad(t, sampleConfig, "withMFA", env)
	if p.Region != "ap-south-1" || p.MFASerial != "arn:env" || p.SourceProfile.MFASerial != "arn:env" {
		t.Errorf("region %q / mfa %q / source mfa %q", p.Region, p.MFASerial, p.SourceProfile.MFASerial)
	}
	if p.RoleARN != "arn:role:env" || p.SourceProfile.RoleARN != "" {
		t.Errorf("AWS_ROLE_ARN must apply to the target only: %q / %q", p.RoleARN, p.SourceProfile.RoleARN)
	}
	if !reflect.DeepEqual(p.SessionTags, map[string]string{"a": "1", "b": "2=3"}) || !reflect.DeepEqual(p.TransitiveSessionTags, []string{"a", "b"}) {
		t.Errorf("tags %v / %v", p.SessionTags, p.TransitiveSessionTags)
	}
	if p.AssumeRoleDuration != 2*time.Hour {
		t.Errorf("AWS_ASSUME_ROLE_TTL: %v", p.AssumeRoleDuration)
	}
	env["AWS_REGION"] = "eu-central-1"
	if p := mustLoad(t, sampleConfig, "user2", env); p.Region != "eu-central-1" {
		t.Errorf("AWS_REGION must win: %q", p.Region)
	}
	l := &config.Loader{File: parse(t, sampleConfig), Getenv: func(k string) string { return env[k] },
		ActiveProfile: "user2", Base: config.Profile{Region: "flag-region"}}
	if p, _ := l.Load("user2"); p.Region != "flag-region" {
		t.Errorf("--region must win: %q", p.Region)
	}
}

func TestResolutionErrors(t *testing.T) {
	for _, tc := range []struct {
		name, config, profile string
		env                   map[string]string
		want                  string
	}{
		{"source loop of 3", "[profile a]\nsource_profile=b\n[profile b]\nsource_profile=c\n[profile c]\nsource_profile=a\n", "a", nil,
			"source_profile loop in /home/u/.aws/config: a -> b -> c -> a"},
		{"include loop", "[profile a]\ninclude_profile=b\n[profile b]\ninclude_profile=a\n", "a", nil,
			"include_profile loop in /home/u/.aws/config: a -> b -> a"},
		{"bad session_tags", "[profile a]\nsession_tags=a=1,,b=2\n", "a", nil, "profile a: session_tags: element 2 is empty"},
		{"bad AWS_SESSION_TAGS", "[profile a]\n", "a", map[string]string{"AWS_SESSION_TAGS": "novalue"},
			"AWS_SESSION_TAGS: each element must be KEY=VALUE"},
		{"bad TTL", "[profile a]\n", "a", map[string]string{"AWS_SESSION_TOKEN_TTL": "3600"},
			`AWS_SESSION_TOKEN_TTL: "3600" is not a positive duration`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(t, tc.config, tc.profile, tc.env)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
}

func TestSourceProfileSelfAndParent(t *testing.T) {
	if p := mustLoad(t, "[profile a]\nsource_profile=a\n", "a", nil); p.SourceProfile != nil {
		t.Error("a source_profile naming itself must be dropped")
	}
	p := mustLoad(t, "[profile root]\nregion=r\n[profile child]\ninclude_profile=root\nsource_profile=root\nrole_arn=x\n", "child", nil)
	if p.SourceProfile == nil || p.Region != "r" {
		t.Errorf("include + source of the same parent: %+v", p)
	}
}

func TestMFAProcessInheritedFromSource(t *testing.T) {
	cfg := "[profile base]\nmfa_process=echo 1\n[profile role]\nsource_profile=base\nrole_arn=x\n[profile own]\nsource_profile=base\nmfa_process=echo 2\n"
	if p := mustLoad(t, cfg, "role", nil); p.MFAProcess != "echo 1" {
		t.Errorf("inherited mfa_process %q", p.MFAProcess)
	}
	if p := mustLoad(t, cfg, "own", nil); p.MFAProcess != "echo 2" {
		t.Errorf("own mfa_process %q", p.MFAProcess)
	}
}

func TestAppendProfileKeepsFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config")
	orig := "[default]\nregion = us-east-1 # keep me\n[profile x]\ns3 =\n  max_concurrent_requests = 10\nsso_start_url = https://a/start#/"
	if err := os.WriteFile(path, []byte(orig), 0o640); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	locker := &vault.Locker{Dir: filepath.Join(t.TempDir(), "locks")}
	added, err := cfg.AppendProfile(context.Background(), locker.Lock, "llamas", [][2]string{{"mfa_serial", "testserial"}, {"region", "us-east-1"}, {"empty", ""}})
	if err != nil || !added {
		t.Fatal(added, err)
	}
	got, _ := os.ReadFile(path)
	want := orig + "\n\n[profile llamas]\nmfa_serial=testserial\nregion=us-east-1\n"
	if string(got) != want {
		t.Errorf("file:\n%q\nwant\n%q", got, want)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o640 {
		t.Errorf("mode %o", st.Mode().Perm())
	}
	if names := cfg.ProfileNames(); names[len(names)-1] != "llamas" {
		t.Errorf("profiles after append: %q", names)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}

// Writers that each loaded the file before the others wrote keep every
// section: the append is made under a lock, on the file as it is then.
func TestAppendProfileConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config")
	orig := "[default]\nregion = us-east-1\n"
	if err := os.WriteFile(path, []byte(orig), 0o600); err != nil {
		t.Fatal(err)
	}
	const n = 20
	cfgs := make([]*config.File, n)
	for i := range cfgs {
		var err error
		if cfgs[i], err = config.LoadFile(path); err != nil {
			t.Fatal(err)
		}
	}
	locker := &vault.Locker{Dir: filepath.Join(t.TempDir(), "locks")}
	errs := make(chan error, n)
	for i, cfg := range cfgs {
		go func() {
			_, err := cfg.AppendProfile(context.Background(), locker.Lock, fmt.Sprintf("p%02d", i), nil)
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	got, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(got), orig) {
		t.Errorf("original lines lost:\n%s", got)
	}
	final, err := config.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if name := fmt.Sprintf("p%02d", i); !final.HasProfileSection(name) || strings.Count(string(got), "[profile "+name+"]") != 1 {
			t.Errorf("section of %s missing or repeated:\n%s", name, got)
		}
	}
	// A section another writer added meanwhile is not added again.
	if added, err := cfgs[0].AppendProfile(context.Background(), locker.Lock, "p05", nil); added || err != nil {
		t.Errorf("p05 appended again: %v %v", added, err)
	}
}

func TestMalformedConfigNamesLine(t *testing.T) {
	for text, want := range map[string]string{
		"[default]\nregion=x\n\nnot ini at all\n":     "config file /c, line 4: not a section header or key = value line",
		"[default]\n[profile secret-token-123\nx=1\n": "config file /c, line 2: unclosed section",
	} {
		_, err := config.Parse("/c", []byte(text))
		if err == nil || err.Error() != want {
			t.Errorf("got %v, want %s", err, want)
		}
	}
}
