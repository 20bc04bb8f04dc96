package vault_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsvault/aws-vault/vault"
)

var auditNow = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

func testAuditLog(t *testing.T, dir string) *vault.AuditLog {
	t.Helper()
	locker := &vault.Locker{Dir: filepath.Join(dir, "locks")}
	return &vault.AuditLog{Path: filepath.Join(dir, "sub", "audit.log"), Version: "v-test", Lock: locker.Lock,
		Now:  func() time.Time { return auditNow },
		Warn: func(err error) { t.Errorf("unexpected warning: %v", err) }}
}

func sessionCreds(id string) aws.Credentials {
	return aws.Credentials{AccessKeyID: id, SecretAccessKey: "secret-" + id, SessionToken: "token-" + id,
		CanExpire: true, Expires: auditNow.Add(time.Hour)}
}

// TestAuditLogLine: one JSON line per hand-out, in a 0600 file in a 0700
// directory, with the last four characters of the key id and nothing
// secret.
func TestAuditLogLine(t *testing.T) {
	dir := t.TempDir()
	l := testAuditLog(t, dir)
	steps := []vault.Step{{Kind: vault.KindStored, Profile: "base"}, {Kind: vault.KindSessionToken, Profile: "base", MFA: true, MFASerial: "arn:aws:iam::1:mfa/a", Cached: true}}
	l.Record(vault.Handout{Command: "exec", Output: "json", Profile: "p", Steps: steps, Creds: sessionCreds("ASIAEXAMPLE00000WXYZ")})
	l.Record(vault.Handout{Command: "export", Output: "env", Profile: "q", Creds: aws.Credentials{AccessKeyID: "AKIAEXAMPLE00000LONG", SecretAccessKey: "s"}})
	data, err := os.ReadFile(l.Path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines, want 2:\n%s", len(lines), data)
	}
	wd, _ := os.Getwd()
	want := fmt.Sprintf(`{"time":"2026-03-04T05:06:07Z","version":"v-test","command":"exec","output":"json","profile":"p",`+
		`"steps":[{"kind":"stored credentials","profile":"base","mfa":false,"cached":false},`+
		`{"kind":"sts.GetSessionToken","profile":"base","mfa":true,"mfa_serial":"arn:aws:iam::1:mfa/a","cached":true}],`+
		`"expires":"2026-03-04T06:06:07Z","key_id_last4":"WXYZ","caller":%s,"caller_parent":%s,"cwd":%q}`,
		callerJSON(t, lines[0], "caller"), callerJSON(t, lines[0], "caller_parent"), wd)
	if lines[0] != want {
		t.Errorf("line:\n got  %s\n want %s", lines[0], want)
	}
	var second vault.Issuance
	if err := json.Unmarshal([]byte(lines[1]), &second); err != nil || !second.Expires.IsZero() || second.Steps == nil || second.KeyIDLast4 != "LONG" {
		t.Errorf("second line %s: %v", lines[1], err)
	}
	for _, secret := range []string{"secret-", "token-", "ASIAEXAMPLE", "AKIAEXAMPLE"} {
		if bytes.Contains(data, []byte(secret)) {
			t.Errorf("the log holds %q", secret)
		}
	}
	if second.Caller.PID != os.Getppid() || second.Caller.Name == "" {
		t.Errorf("caller %+v, want the test's parent %d", second.Caller, os.Getppid())
	}
	assertMode(t, l.Path, 0o600)
	assertMode(t, filepath.Dir(l.Path), 0o700)
}

func callerJSON(t *testing.T, line, field string) string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(line), &m); err != nil {
		t.Fatal(err)
	}
	return string(m[field])
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Mode().Perm(); got != want {
		t.Errorf("%s: mode %o, want %o", path, got, want)
	}
}

// TestAuditLogExistingFileMadePrivate: a log others could read is made
// 0600 on the next line.
func TestAuditLogExistingFileMadePrivate(t *testing.T) {
	l := testAuditLog(t, t.TempDir())
	if err := os.MkdirAll(filepath.Dir(l.Path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(l.Path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	l.Record(vault.Handout{Command: "exec", Output: "env", Profile: "p", Creds: sessionCreds("ASIA1234")})
	assertMode(t, l.Path, 0o600)
}

// TestAuditLogFailureWarnsOnce: a log that cannot be written is one
// warning, however many lines are lost, and Record returns normally.
func TestAuditLogFailureWarnsOnce(t *testing.T) {
	dir := t.TempDir()
	var warnings []string
	for _, path := range []string{filepath.Join(dir, "file", "x"), dir} {
		if err := os.WriteFile(filepath.Join(dir, "file"), nil, 0o600); err != nil {
			t.Fatal(err)
		}
		warnings = nil
		l := &vault.AuditLog{Path: path, Warn: func(err error) { warnings = append(warnings, err.Error()) }}
		for range 3 {
			l.Record(vault.Handout{Command: "exec", Profile: "p", Creds: sessionCreds("ASIA1234")})
		}
		if len(warnings) != 1 || !strings.HasPrefix(warnings[0], "issuance log "+path+": ") {
			t.Errorf("%s: warnings %q, want one naming the log", path, warnings)
		}
	}
	var off *vault.AuditLog
	off.Record(vault.Handout{Command: "exec"}) // off: nothing, no panic
}

// TestAuditLogNamedPipe: a FIFO at the log's path is refused at once,
// never waited on.
func TestAuditLogNamedPipe(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.log")
	if err := mkfifo(path); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	var warned error
	l := &vault.AuditLog{Path: path, Warn: func(err error) { warned = err }}
	done := make(chan struct{})
	go func() { l.Record(vault.Handout{Command: "exec", Creds: sessionCreds("ASIA1234")}); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Record waits on a named pipe")
	}
	if warned == nil {
		t.Error("no warning for a named pipe")
	}
}

// TestAuditLogRotation: concurrent writers that find the log full rotate
// it once, under the lock, to audit.log.1; every line is written once,
// whole, in one of the two files.
func TestAuditLogRotation(t *testing.T) {
	dir := t.TempDir()
	base := testAuditLog(t, dir)
	if err := os.MkdirAll(filepath.Dir(base.Path), 0o700); err != nil {
		t.Fatal(err)
	}
	var filler bytes.Buffer
	for i := 0; filler.Len() < 64<<10; i++ {
		fmt.Fprintf(&filler, `{"time":"2026-01-01T00:00:00Z","command":"filler","profile":"f%d","steps":[]}`+"\n", i)
	}
	if err := os.WriteFile(base.Path, filler.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	const writers = 40
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l := testAuditLog(t, dir)
			l.MaxSize = int64(filler.Len())
			l.Record(vault.Handout{Command: "exec", Output: "json", Profile: fmt.Sprintf("w%d", i), Creds: sessionCreds("ASIA1234")})
		}()
	}
	wg.Wait()
	entries, err := vault.ReadAuditLog(base.Path)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, e := range entries {
		if e.Malformed {
			t.Errorf("malformed line %d of %s: %q", e.Line, e.File, e.Raw)
		}
		seen[e.Profile]++
	}
	for i := range writers {
		if n := seen[fmt.Sprintf("w%d", i)]; n != 1 {
			t.Errorf("writer %d's line is there %d times, want 1", i, n)
		}
	}
	rotated, err := os.ReadFile(base.Path + ".1")
	if err != nil || !bytes.HasPrefix(rotated, filler.Bytes()) {
		t.Fatalf("audit.log.1 does not start with the full log (err %v)", err)
	}
	assertMode(t, base.Path, 0o600)
	if st, _ := os.Stat(base.Path); st.Size() >= int64(filler.Len()) {
		t.Errorf("the new log is %d bytes: rotated more than once or not at all", st.Size())
	}
}

// TestServedOnce: a server's first answer with each credential is
// recorded, with the chain's steps for it; repeated answers are not.
func TestServedOnce(t *testing.T) {
	dir := t.TempDir()
	l := testAuditLog(t, dir)
	current := sessionCreds("ASIAFIRST0000001")
	src := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return current, nil })
	p := l.ServedOnce(vault.Handout{Command: "exec", Output: "ecs-server", Profile: "p"}, nil, src)
	for range 3 {
		if _, err := p.Retrieve(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	current = sessionCreds("ASIASECOND000002")
	for range 2 {
		p.Retrieve(context.Background())
	}
	entries, err := vault.ReadAuditLog(l.Path)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Command+" "+e.Output+" "+e.Profile+" "+e.KeyIDLast4)
	}
	assertStrings(t, "lines", got, []string{"exec ecs-server p 0001", "exec ecs-server p 0002"})
	failing := l.ServedOnce(vault.Handout{Command: "exec"}, nil, aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{}, errors.New("no")
	}))
	if _, err := failing.Retrieve(context.Background()); err == nil {
		t.Error("the error of the source was lost")
	}
	var off *vault.AuditLog
	if off.ServedOnce(vault.Handout{}, nil, src) == nil {
		t.Error("ServedOnce of a log that is off returned nil")
	}
}

// TestReadAuditLog: the rotated part first, by time; malformed lines (a
// truncated last line among them) are reported in place and reading goes
// on.
func TestReadAuditLog(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "audit.log")
	line := func(at, profile string) string {
		return `{"time":"` + at + `","version":"v","command":"exec","profile":"` + profile + `","steps":[],"key_id_last4":"ABCD","caller":{"pid":1},"caller_parent":{"pid":0}}`
	}
	old := line("2026-01-01T00:00:00Z", "a") + "\n" + line("2026-01-03T00:00:00Z", "late-in-old") + "\n"
	cur := line("2026-01-02T00:00:00Z", "b") + "\nnot json\n" + strings.Repeat("x", 2<<20) + "\n" +
		line("2026-01-04T00:00:00Z", "c") + "\n" + `{"time":"2026-01-05T00:00:00Z","comm`
	if err := os.WriteFile(path+".1", []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(cur), 0o600); err != nil {
		t.Fatal(err)
	}
	entries, err := vault.ReadAuditLog(path)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		if e.Malformed {
			got = append(got, fmt.Sprintf("malformed %s:%d", filepath.Base(e.File), e.Line))
		} else {
			got = append(got, e.Profile)
		}
	}
	assertStrings(t, "entries", got, []string{"a", "b", "malformed audit.log:2", "malformed audit.log:3", "late-in-old", "c", "malformed audit.log:5"})
	if entries, err := vault.ReadAuditLog(filepath.Join(dir, "none")); err != nil || len(entries) != 0 {
		t.Errorf("missing log: %v, %v; want nothing, no error", entries, err)
	}
}

// TestAuditLogConcurrentWriters: writers of long lines (past PIPE_BUF) at
// once never interleave: every line is one write.
func TestAuditLogConcurrentWriters(t *testing.T) {
	dir := t.TempDir()
	const writers, each = 16, 50
	long := strings.Repeat("p", 8000)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				l := testAuditLog(t, dir)
				l.Record(vault.Handout{Command: "exec", Output: "json", Profile: fmt.Sprintf("%s-%d-%d", long, w, i), Creds: sessionCreds("ASIA1234")})
			}
		}()
	}
	wg.Wait()
	entries, err := vault.ReadAuditLog(testAuditLog(t, dir).Path)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		if e.Malformed {
			t.Fatalf("line %d is not whole: %.60q", e.Line, e.Raw)
		}
		seen[e.Profile] = true
	}
	if len(entries) != writers*each || len(seen) != writers*each {
		t.Errorf("%d lines, %d distinct, want %d", len(entries), len(seen), writers*each)
	}
}
