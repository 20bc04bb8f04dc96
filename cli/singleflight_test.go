//go:build !windows

package cli_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/awsvault/aws-vault/vault/vaulttest"
)

const flightConfig = `[default]
region = us-east-1

[profile alice]
mfa_serial = arn:aws:iam::111111111111:mfa/alice

[profile admin]
source_profile = alice
role_arn = arn:aws:iam::222222222222:role/Admin
mfa_serial = arn:aws:iam::111111111111:mfa/alice
role_session_name = admin
mfa_process = echo run >> "$HOME/mfa-runs"; echo $$ >> "$HOME/mfa-pids"; sleep "${MFA_DELAY:-0}"; cat "$HOME/code"

[profile admin2]
include_profile = admin
role_session_name = admin2

[profile plain]

[profile readonly]
source_profile = plain
role_arn = arn:aws:iam::222222222222:role/ReadOnly
role_session_name = readonly
`

// flight is a HOME with alice's and bob's keys and an emulated AWS.
type flight struct {
	t    *testing.T
	aws  *vaulttest.AWS
	home string
	env  []string
}

func newFlight(t *testing.T) *flight {
	t.Helper()
	f := &flight{t: t, aws: vaulttest.Fixture(), home: t.TempDir()}
	proxy := vaulttest.NewTestProxy(t, f.aws)
	f.env = []string{"HOME=" + f.home, "PATH=" + os.Getenv("PATH"), "HTTPS_PROXY=" + proxy.URL, "AWS_CA_BUNDLE=" + proxy.CAFile,
		"AWS_VAULT_BACKEND=file", "AWS_VAULT_FILE_PASSPHRASE=p", "AWS_CONFIG_FILE=" + filepath.Join(f.home, "config"),
		"GORACE=atexit_sleep_ms=0"}
	if err := os.WriteFile(filepath.Join(f.home, "config"), []byte(flightConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	f.setCode(vaulttest.TOTP(vaulttest.AliceTOTPSecret, time.Now()))
	for profile, u := range map[string][2]string{"alice": {vaulttest.AliceAccessKeyID, vaulttest.AliceSecretAccessKey}, "plain": {vaulttest.BobAccessKeyID, vaulttest.BobSecretAccessKey}} {
		if out, err := f.cmd(nil, "add", "--env", profile, "AWS_ACCESS_KEY_ID="+u[0], "AWS_SECRET_ACCESS_KEY="+u[1]).CombinedOutput(); err != nil {
			t.Fatalf("add: %v %s", err, out)
		}
	}
	return f
}

func (f *flight) setCode(code string) {
	if err := os.WriteFile(filepath.Join(f.home, "code"), []byte(code+"\n"), 0o600); err != nil {
		f.t.Fatal(err)
	}
}

// cmd builds an aws-vault command; arguments with '=' are extra variables.
func (f *flight) cmd(extra []string, args ...string) *exec.Cmd {
	env := append(append([]string(nil), f.env...), extra...)
	var argv []string
	for _, a := range args {
		if strings.Contains(a, "=") && strings.HasPrefix(a, "AWS_") {
			env = append(env, a)
		} else {
			argv = append(argv, a)
		}
	}
	c := exec.Command("aws-vault", argv...)
	c.Env = env
	c.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	return c
}

type result struct {
	stdout, stderr string
	err            error
}

// parallel runs n commands at once, the i-th with args(i).
func (f *flight) parallel(n int, args func(i int) []string) []result {
	out := make([]result, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c := f.cmd(nil, args(i)...)
			var so, se bytes.Buffer
			c.Stdout, c.Stderr = &so, &se
			err := c.Run()
			out[i] = result{so.String(), se.String(), err}
		}(i)
	}
	wg.Wait()
	return out
}

func (f *flight) mfaRuns() int {
	b, _ := os.ReadFile(filepath.Join(f.home, "mfa-runs"))
	return strings.Count(string(b), "run")
}

func (f *flight) expectCalls(want map[string]int) {
	f.t.Helper()
	for action, n := range want {
		if got := f.aws.Count(action); got != n {
			f.t.Errorf("%d %s calls, want %d", got, action, n)
		}
	}
	if got := len(f.aws.Requests()); got != sumValues(want) {
		f.t.Errorf("%d AWS calls in all, want %d", got, sumValues(want))
	}
}

func sumValues(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func allSucceedAlike(t *testing.T, res []result) {
	t.Helper()
	for i, r := range res {
		if r.err != nil {
			t.Fatalf("caller %d: %v\n%s", i, r.err, r.stderr)
		}
		if r.stdout != res[0].stdout {
			t.Fatalf("caller %d got other credentials", i)
		}
	}
}

// 50 concurrent cold calls for an MFA role: one MFA prompt, one
// GetSessionToken, one AssumeRole; everyone gets the same credentials.
func TestConcurrentColdCallsMFARole(t *testing.T) {
	f := newFlight(t)
	res := f.parallel(50, func(int) []string { return []string{"exec", "--json", "admin"} })
	allSucceedAlike(t, res)
	f.expectCalls(map[string]int{"GetSessionToken": 1, "AssumeRole": 1})
	if n := f.mfaRuns(); n != 1 {
		t.Errorf("mfa_process ran %d times, want 1", n)
	}
	waiters := 0
	for _, r := range res {
		if strings.Contains(r.stderr, "waiting for ") {
			waiters++
			if !strings.Contains(r.stderr, ": another aws-vault (pid ") {
				t.Errorf("waiter line: %q", r.stderr)
			}
		}
	}
	t.Logf("%d of 50 callers waited", waiters)
}

func TestConcurrentColdCallsRoleWithoutMFA(t *testing.T) {
	f := newFlight(t)
	allSucceedAlike(t, f.parallel(50, func(int) []string { return []string{"exec", "--json", "readonly"} }))
	f.expectCalls(map[string]int{"AssumeRole": 1})
}

// 25 + 25 callers of two roles sharing one MFA session: one MFA use.
func TestConcurrentRolesShareOneMFASession(t *testing.T) {
	f := newFlight(t)
	res := f.parallel(50, func(i int) []string { return []string{"exec", "--json", []string{"admin", "admin2"}[i%2]} })
	for i, r := range res {
		if r.err != nil {
			t.Fatalf("caller %d: %v %s", i, r.err, r.stderr)
		}
	}
	f.expectCalls(map[string]int{"GetSessionToken": 1, "AssumeRole": 2})
	if n := f.mfaRuns(); n != 1 {
		t.Errorf("mfa_process ran %d times, want 1", n)
	}
}

// 20 callers given the same --mfa-token: AWS sees the code once.
func TestConcurrentSameMFAToken(t *testing.T) {
	f := newFlight(t)
	code := vaulttest.TOTP(vaulttest.AliceTOTPSecret, time.Now())
	allSucceedAlike(t, f.parallel(20, func(int) []string { return []string{"exec", "--json", "alice", "--mfa-token", code} }))
	f.expectCalls(map[string]int{"GetSessionToken": 1})
}

// The lock holder killed mid-fetch does not block the others: callers
// that were waiting on it (they say so, naming its pid) go on, and one of
// them fetches the session. The test fails unless a caller was waiting on
// the holder when it was killed.
func TestLockHolderKilled(t *testing.T) {
	f := newFlight(t)
	t.Cleanup(f.killMFAProcesses)
	holder := f.cmd([]string{"MFA_DELAY=60"}, "exec", "--json", "admin")
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	holderDone := make(chan error, 1)
	go func() { holderDone <- holder.Wait() }()
	f.await(holderDone, "the holder to run mfa_process", func() bool { return f.mfaRuns() == 1 })

	waiting := fmt.Sprintf("waiting for admin: another aws-vault (pid %d) is getting credentials", holder.Process.Pid)
	waiters := make([]*exec.Cmd, 5)
	stderrs := make([]*syncBuffer, len(waiters))
	done := make(chan error, len(waiters))
	for i := range waiters {
		waiters[i], stderrs[i] = f.cmd(nil, "exec", "--json", "admin"), &syncBuffer{}
		var stdout bytes.Buffer
		waiters[i].Stdout, waiters[i].Stderr = &stdout, stderrs[i]
		if err := waiters[i].Start(); err != nil {
			t.Fatal(err)
		}
		go func(c *exec.Cmd) { done <- c.Wait() }(waiters[i])
	}
	waited := func() int {
		n := 0
		for _, b := range stderrs {
			if strings.Contains(b.String(), waiting) {
				n++
			}
		}
		return n
	}
	f.await(holderDone, "a caller to wait on the holder (pid "+fmt.Sprint(holder.Process.Pid)+")", func() bool { return waited() > 0 })
	if err := holder.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-holderDone
	var res []result
	for i := range waiters {
		err := <-done
		res = append(res, result{stderr: stderrs[i].String(), err: err})
	}
	for i, c := range waiters {
		res[i].stdout = c.Stdout.(*bytes.Buffer).String()
	}
	allSucceedAlike(t, res)
	if n := f.aws.CountOK("GetSessionToken"); n != 1 {
		t.Errorf("%d GetSessionToken, want 1 (the killed holder made none)", n)
	}
	t.Logf("%d of %d callers waited on the killed holder", waited(), len(waiters))
}

// await polls cond until it holds; it fails the test if the holder exits
// first or nothing happens within a minute.
func (f *flight) await(holderDone <-chan error, what string, cond func() bool) {
	f.t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		select {
		case err := <-holderDone:
			f.t.Fatalf("the lock holder exited (%v) before %s", err, what)
		default:
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("no %s within a minute", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// killMFAProcesses kills the process groups of the mfa_process runs
// (orphaned when their aws-vault was killed).
func (f *flight) killMFAProcesses() {
	b, _ := os.ReadFile(filepath.Join(f.home, "mfa-pids"))
	for _, line := range strings.Fields(string(b)) {
		if pid, err := strconv.Atoi(line); err == nil && pid > 1 {
			_ = syscall.Kill(-pid, syscall.SIGKILL)
		}
	}
}

// syncBuffer is a bytes.Buffer safe to read while a process writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
