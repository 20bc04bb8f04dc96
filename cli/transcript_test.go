//go:build !windows

package cli_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/awsvault/aws-vault/vault/vaulttest"
	"github.com/rogpeppe/go-internal/txtar"
)

// transcriptDir holds 68 exact transcripts of aws-vault v7.2.0.
const transcriptDir = "testdata/fixtures/aws-vault-v7-transcripts"

// deviations are the transcripts whose output we deliberately do not copy:
// v7.2.0 bugs (the README's differences) and machine-dependent lists. Each maps to
// the reason; the step still runs and its exit status must match.
var deviations = map[string]string{
	"42": "v7.2.0 labels export errors exec: (fixed: export:)",
	"48": "the version string is ours",
	"53": "same text; checked in errors-foundation.txtar",
	"54": "the driver list depends on the machine",
	"56": "--duration below 15m is refused before any AWS call",
	"57": "a wrong passphrase is reported as such",
	"63": "no terminal for the MFA prompt: our error names the serial and the ways to give a code",
	"64": "no terminal to confirm on: our error says to use --force",
	"68": "an unknown profile is an error, not a silent [default]",
}

// callDeviations are steps whose AWS calls differ on purpose, with ours.
var callDeviations = map[string]string{
	"46": "rotate lists keys first and proves the new key before storing it",
	"47": "rotate uses one MFA session for every IAM call",
	"56": "refused before any AWS call",
}

// TestTranscripts replays aws-vault v7.2.0's transcripts in order against
// one keyring and one emulated AWS (as the real hosts, through HTTPS_PROXY
// and SSL_CERT_FILE), comparing exit status, stdout and stderr byte for
// byte after the transcripts' placeholder substitutions, and the AWS calls
// made. Role caching is off (AWS_VAULT_CACHE_ROLES=0), the mode in which
// we promise v7's exact call pattern.
func TestTranscripts(t *testing.T) {
	files := transcriptFiles(t, transcriptDir)
	r := newReplay(t)
	for _, f := range files {
		step := filepath.Base(f)[:2]
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txtar"), func(t *testing.T) {
			r.run(t, step, parseTranscript(t, f))
		})
	}
}

// transcriptFiles lists dir's transcripts in order. A replay of nothing
// proves nothing: no files, a bad pattern, or a deviation naming a step
// that has no transcript fails the test.
func transcriptFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.txtar"))
	if err != nil {
		t.Fatalf("listing transcripts: %v", err)
	}
	if len(files) == 0 {
		t.Fatalf("no transcripts (*.txtar) in %s", dir)
	}
	sort.Strings(files)
	steps := map[string]bool{}
	for _, f := range files {
		steps[filepath.Base(f)[:2]] = true
	}
	for _, m := range []map[string]string{deviations, callDeviations} {
		for step := range m {
			if !steps[step] {
				t.Errorf("a deviation names step %s, which has no transcript in %s", step, dir)
			}
		}
	}
	return files
}

type transcript struct {
	args     []string
	env      []string
	exit     int
	stdout   string
	stderr   string
	calls    []string
	shell    string
	envLines bool
}

var callLine = regexp.MustCompile(`^  (\S+) (\S+)(.*), signed with (\S+) -> (\S+)$`)

func parseTranscript(t *testing.T, path string) transcript {
	ar, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var tr transcript
	for _, line := range strings.Split(string(ar.Comment), "\n") {
		switch {
		case strings.HasPrefix(line, "$ aws-vault "):
			tr.args = shellWords(strings.TrimPrefix(line, "$ aws-vault "))
		case strings.HasPrefix(line, "env: "):
			tr.env = strings.Fields(strings.TrimPrefix(line, "env: "))
		case strings.HasPrefix(line, "exit status: "):
			tr.exit, _ = strconv.Atoi(strings.TrimPrefix(line, "exit status: "))
		case strings.HasPrefix(line, "stdout: the output of `env`"):
			tr.envLines = true
		case callLine.MatchString(line):
			tr.calls = append(tr.calls, normalizeCall(callLine.FindStringSubmatch(line)))
		}
	}
	for _, f := range ar.Files {
		switch f.Name {
		case "stdout":
			tr.stdout = string(f.Data)
		case "stderr":
			tr.stderr = string(f.Data)
		case "shell.sh":
			tr.shell = string(f.Data)
		}
	}
	return tr
}

// normalizeCall keeps what both sides record: host, action, duration, the
// role, serial, name and key parameters, the signing key and the result.
func normalizeCall(m []string) string {
	keep := map[string]bool{"DurationSeconds": true, "RoleArn": true, "RoleSessionName": true, "SerialNumber": true, "Name": true, "AccessKeyId": true}
	var params []string
	for _, f := range strings.Fields(m[3]) {
		if k, _, _ := strings.Cut(f, "="); keep[k] {
			params = append(params, f)
		}
	}
	sort.Strings(params)
	return strings.Join(append([]string{m[1], m[2]}, params...), " ") + " by " + m[4] + " -> " + m[5]
}

// shellWords splits a command line with single quotes, as the transcripts
// write them.
func shellWords(s string) []string {
	var out []string
	var cur strings.Builder
	quoted, inWord := false, false
	for _, r := range s {
		switch {
		case r == '\'':
			quoted, inWord = !quoted, true
		case r == ' ' && !quoted:
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
			}
			inWord = false
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out
}

// replay is the shared state of the transcript steps.
type replay struct {
	aws   *vaulttest.AWS
	home  string
	base  []string
	shell string
}

func newReplay(t *testing.T) *replay {
	home := t.TempDir()
	a := vaulttest.Fixture()
	proxy := vaulttest.NewTestProxy(t, a)
	if err := os.MkdirAll(filepath.Join(home, ".aws"), 0o700); err != nil {
		t.Fatal(err)
	}
	cfg, err := os.ReadFile(filepath.Join(transcriptDir, "config"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".aws", "config"), cfg, 0o600); err != nil {
		t.Fatal(err)
	}
	return &replay{aws: a, home: home, shell: filepath.Join(t.TempDir(), "shell.sh"), base: []string{
		"HOME=" + home, "PATH=" + os.Getenv("PATH"), "HTTPS_PROXY=" + proxy.URL, "SSL_CERT_FILE=" + proxy.CAFile,
		"DBUS_SESSION_BUS_ADDRESS=unix:path=" + filepath.Join(home, "no-bus"), "AWS_VAULT_CACHE_ROLES=0",
		"GORACE=atexit_sleep_ms=0",
	}}
}

func (r *replay) run(t *testing.T, step string, tr transcript) {
	env := append([]string(nil), r.base...)
	for _, kv := range tr.env {
		if strings.HasPrefix(kv, "SHELL=") {
			if err := os.WriteFile(r.shell, []byte(tr.shell), 0o700); err != nil {
				t.Fatal(err)
			}
			kv = "SHELL=" + r.shell
		}
		env = append(env, kv)
	}
	cmd := exec.Command("aws-vault", tr.args...)
	var stdout, stderr bytes.Buffer
	cmd.Env, cmd.Stdout, cmd.Stderr = env, &stdout, &stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} // no controlling terminal
	err := cmd.Run()
	if code := exitCode(err); code != tr.exit {
		t.Errorf("exit status %d, want %d; stderr: %s", code, tr.exit, stderr.String())
	}
	calls := r.calls()
	if reason, ok := deviations[step]; ok {
		t.Logf("output deviates on purpose: %s", reason)
	} else {
		got := dropCacheRoles(mask(stdout.String(), r.home))
		if tr.envLines {
			got = awsLines(got)
		}
		compare(t, "stdout", got, tr.stdout)
		compare(t, "stderr", withoutHints(mask(stderr.String(), r.home)), tr.stderr)
	}
	if reason, ok := callDeviations[step]; ok {
		t.Logf("AWS calls deviate on purpose: %s: %q", reason, calls)
		return
	}
	compare(t, "AWS calls", strings.Join(calls, "\n"), strings.Join(tr.calls, "\n"))
}

func (r *replay) calls() []string {
	var out []string
	for _, req := range r.aws.Requests() {
		params := []string{}
		if req.DurationSeconds != 0 {
			params = append(params, "DurationSeconds="+strconv.Itoa(req.DurationSeconds))
		}
		for _, k := range []string{"RoleArn", "RoleSessionName", "SerialNumber", "Name", "AccessKeyId"} {
			if v, ok := req.Params[k]; ok {
				params = append(params, k+"="+v)
			}
		}
		sort.Strings(params)
		line := strings.Join(append([]string{req.Host, req.Action}, params...), " ")
		out = append(out, line+" by "+maskAKID(req.AccessKeyID)+" -> "+req.Code)
	}
	r.aws.Reset()
	return out
}

func exitCode(err error) int {
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

func compare(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", what, got, want)
	}
}

// withoutHints drops our "aws-vault: hint:" lines, which v7 never printed:
// they follow the error line v7 printed, unchanged.
func withoutHints(s string) string {
	var out []string
	for _, l := range strings.SplitAfter(s, "\n") {
		if !strings.HasPrefix(l, "aws-vault: hint: ") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "")
}

// dropCacheRoles removes the replay's own AWS_VAULT_CACHE_ROLES from env
// listings.
func dropCacheRoles(s string) string {
	var out []string
	for _, l := range strings.SplitAfter(s, "\n") {
		if !strings.HasPrefix(l, "AWS_VAULT_CACHE_ROLES") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "")
}

// awsLines keeps the AWS_* lines of env output.
func awsLines(s string) string {
	var out []string
	for _, l := range strings.SplitAfter(s, "\n") {
		if strings.HasPrefix(l, "AWS_") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "")
}

var (
	fixtureSecrets = func() map[string]bool {
		m := map[string]bool{}
		for _, u := range vaulttest.FixtureUsers() {
			m[u.SecretAccessKey] = true
		}
		return m
	}()
	reASIA      = regexp.MustCompile(`ASIA[A-Z0-9]{16}`)
	reSecret    = regexp.MustCompile(`("SecretAccessKey": "|AWS_SECRET_ACCESS_KEY=|aws_secret_access_key=)([A-Za-z0-9/+]{40})`)
	reToken     = regexp.MustCompile(`("SessionToken": "|AWS_SESSION_TOKEN=|aws_session_token=)([A-Za-z0-9/+=]+)`)
	reExpiry    = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`)
	reRequestID = regexp.MustCompile(`RequestID: [0-9a-f-]{36}`)
	reRemaining = regexp.MustCompile(`((?:sts\.\w+|credential_process):)-?[0-9hms.]+`)
	reSignin    = regexp.MustCompile(`SigninToken=[^&\s]+`)
	reNewKey    = regexp.MustCompile(`(Created new access key \*{16})\w{4}`)
)

// mask applies the transcripts' placeholder substitutions.
func mask(s, home string) string {
	s = strings.ReplaceAll(s, home, "<HOME>")
	s = reASIA.ReplaceAllString(s, "ASIAXXXXXXXXXXXXXXXX")
	s = reSecret.ReplaceAllStringFunc(s, func(m string) string {
		sub := reSecret.FindStringSubmatch(m)
		if fixtureSecrets[sub[2]] {
			return m
		}
		return sub[1] + "<SECRET>"
	})
	s = reToken.ReplaceAllString(s, "${1}<SESSION-TOKEN>")
	s = reExpiry.ReplaceAllString(s, "<EXPIRATION>")
	s = reRequestID.ReplaceAllString(s, "RequestID: <REQUEST-ID>")
	s = reRemaining.ReplaceAllString(s, "${1}<REMAINING>")
	s = reSignin.ReplaceAllString(s, "SigninToken=<SIGNIN-TOKEN>")
	return reNewKey.ReplaceAllString(s, "${1}XXXX")
}

// maskAKID hides key ids AWS minted during the run.
func maskAKID(id string) string {
	if strings.HasPrefix(id, "ASIA") {
		return "ASIAXXXXXXXXXXXXXXXX"
	}
	for _, u := range vaulttest.FixtureUsers() {
		if u.AccessKeyID == id {
			return id
		}
	}
	if strings.HasPrefix(id, "AKIA") {
		return "AKIAXXXXXXXXXXXXXXXX"
	}
	return id
}
