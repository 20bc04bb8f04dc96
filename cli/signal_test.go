//go:build unix

package cli_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/awsvault/aws-vault/vault/keyring"
	"github.com/awsvault/aws-vault/vault/keyring/keyringtest"
)

// bound is how long a process that should end "within about a second"
// may take before the test calls it hung: generous for a loaded -race
// run, and far below "never".
const bound = 10 * time.Second

// vaultHome is a fresh home for running the aws-vault command this test
// binary provides (testscript.Main put it on PATH), with the file backend.
type vaultHome struct {
	t    *testing.T
	dir  string
	env  []string
	path string
}

func newVaultHome(t *testing.T, config string) *vaultHome {
	t.Helper()
	bin, err := exec.LookPath("aws-vault")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	h := &vaultHome{t: t, dir: dir, path: bin, env: []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "AWS_CONFIG_FILE=" + filepath.Join(dir, ".aws", "config"),
		"AWS_VAULT_FILE_DIR=" + filepath.Join(dir, ".awsvault", "keys"), "AWS_VAULT_BACKEND=file",
		"AWS_VAULT_FILE_PASSPHRASE=test-passphrase", "GORACE=atexit_sleep_ms=0",
	}}
	h.write(".aws/config", config)
	return h
}

func (h *vaultHome) write(name, content string) {
	h.t.Helper()
	p := filepath.Join(h.dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		h.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		h.t.Fatal(err)
	}
}

// command is aws-vault with args and extra environment, its stderr kept.
func (h *vaultHome) command(env []string, args ...string) (*exec.Cmd, *bytes.Buffer) {
	cmd := exec.Command(h.path, args...)
	cmd.Env = append(append([]string{}, h.env...), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	return cmd, &stderr
}

// run runs aws-vault to completion, failing the test past bound.
func (h *vaultHome) run(env []string, args ...string) (int, string) {
	h.t.Helper()
	cmd, stderr := h.command(env, args...)
	if err := cmd.Start(); err != nil {
		h.t.Fatal(err)
	}
	return h.wait(cmd), stderr.String()
}

// wait returns cmd's exit status, killing it and failing at bound. A
// process killed by a signal (not exiting by itself) fails the test.
func (h *vaultHome) wait(cmd *exec.Cmd) int {
	h.t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(bound):
		cmd.Process.Kill()
		<-done
		h.t.Fatalf("%s still running after %s", cmd.Args, bound)
	}
	return shellStatus(cmd.ProcessState)
}

// shellStatus is a process's status as a shell reports it: 128+n for one
// killed by signal n.
func shellStatus(ps *os.ProcessState) int {
	if ws := ps.Sys().(syscall.WaitStatus); ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ps.ExitCode()
}

func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
}

// A named pipe given as the config or credentials file fails at once with
// one line naming it, instead of waiting for a writer for ever.
func TestFIFOConfigFailsFast(t *testing.T) {
	h := newVaultHome(t, "")
	fifo := filepath.Join(h.dir, "config.fifo")
	mkfifo(t, fifo)
	start := time.Now()
	code, stderr := h.run([]string{"AWS_CONFIG_FILE=" + fifo}, "list")
	t.Logf("list with a FIFO config ended in %s", time.Since(start).Round(time.Millisecond))
	if want := "aws-vault: error: list: config file " + fifo + " is a named pipe (FIFO), not a regular file\n"; code != 1 || stderr != want {
		t.Errorf("status %d, stderr %q; want 1, %q", code, stderr, want)
	}
	code, stderr = h.run([]string{"AWS_SHARED_CREDENTIALS_FILE=" + fifo}, "import", "--no-verify")
	if want := "aws-vault: error: import: credentials file " + fifo + " is a named pipe (FIFO), not a regular file\n"; code != 1 || stderr != want {
		t.Errorf("import: status %d, stderr %q; want 1, %q", code, stderr, want)
	}
	// A symbolic link to a regular file is fine.
	h.write("real-config", "[profile a]\n")
	link := filepath.Join(h.dir, "link-config")
	if err := os.Symlink(filepath.Join(h.dir, "real-config"), link); err != nil {
		t.Fatal(err)
	}
	if code, stderr := h.run([]string{"AWS_CONFIG_FILE=" + link}, "list", "--profiles"); code != 0 || stderr != "" {
		t.Errorf("config through a link: status %d, %s", code, stderr)
	}
}

// SIGTERM and SIGINT end aws-vault blocked where it does not watch its
// context (here waiting for a keyring agent that accepted the connection
// but never answers) within about a second, with the signal's exit status,
// as a shell reports it. aws-vault v7.2.0 dies on SIGTERM; swallowing it
// left timeout(1) waiting. Until something first waits on the context the
// handlers are not installed, so the signal's default action may end the
// process (no message); once installed, the grace ends it with the message.
func TestSignalEndsBlockedProcess(t *testing.T) {
	for _, tc := range []struct {
		sig    syscall.Signal
		status int
		stderr string
	}{
		{syscall.SIGTERM, 143, "aws-vault: error: terminated by SIGTERM\n"},
		{syscall.SIGINT, 130, "aws-vault: error: interrupted by SIGINT\n"},
	} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			h := newVaultHome(t, "[profile alice]\nregion = us-east-1\n")
			h.write(".awsvault/keys/alice", "not read: the agent is asked first")
			run := keyringtest.ShortTempDir(t, "avsig")
			accepted := silentAgent(t, run, filepath.Join(h.dir, ".awsvault", "keys"))
			cmd, stderr := h.command([]string{"XDG_RUNTIME_DIR=" + run}, "export", "--no-session", "--format=json", "alice")
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			select {
			case <-accepted: // aws-vault now waits in read(2)
			case <-time.After(bound):
				t.Fatal("aws-vault did not connect to the agent")
			}
			time.Sleep(100 * time.Millisecond)
			start := time.Now()
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			code := h.wait(cmd)
			t.Logf("%s: ended %s after the signal", tc.sig, time.Since(start).Round(time.Millisecond))
			if code != tc.status || (stderr.String() != tc.stderr && stderr.String() != "") {
				t.Errorf("status %d, stderr %q; want %d, %q", code, stderr, tc.status, tc.stderr)
			}
		})
	}
}

// silentAgent listens where the agent of keyringDir would, accepts, and
// never answers; accepted is closed at the first connection.
func silentAgent(t *testing.T, runtimeDir, keyringDir string) <-chan struct{} {
	t.Helper()
	socket, err := keyring.AgentSocket(keyring.AgentDir(runtimeDir, ""), keyringDir)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(socket), 0o700); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("unix", socket)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	accepted := make(chan struct{})
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		t.Cleanup(func() { conn.Close() })
		close(accepted)
	}()
	return accepted
}

// openFIFO opens fifo with flag (blocking until the other end is opened)
// within bound; past it, it opens the other end itself (with other) to
// release the blocked open, and fails.
func openFIFO(fifo string, flag, other int) (*os.File, error) {
	type opened struct {
		f   *os.File
		err error
	}
	ch := make(chan opened, 1)
	go func() {
		f, err := os.OpenFile(fifo, flag, 0)
		ch <- opened{f, err}
	}()
	select {
	case o := <-ch:
		return o.f, o.err
	case <-time.After(bound):
		if r, err := os.OpenFile(fifo, other|syscall.O_NONBLOCK, 0); err == nil {
			defer r.Close()
		}
		if o := <-ch; o.f != nil {
			o.f.Close()
		}
		return nil, fmt.Errorf("the other end was not opened within %s", bound)
	}
}

// SIGTERM at an MFA prompt ends aws-vault through its context: the
// mfa_process is stopped (nothing of ours is left running) and the
// message names the command, with exit status 143.
func TestSignalAtMFAPromptCleansUp(t *testing.T) {
	h := newVaultHome(t, "[profile alice]\nregion = us-east-1\nmfa_serial = arn:aws:iam::111111111111:mfa/alice\n"+
		"mfa_process = echo $$ > \"$MFA_PID\" && exec sleep 30\n")
	if code, stderr := h.run([]string{"AWS_ACCESS_KEY_ID=AKIAALICEEXAMPLE0001", "AWS_SECRET_ACCESS_KEY=aliceSecretKey00000000000000000000000001"},
		"add", "--env", "alice"); code != 0 {
		t.Fatalf("add: %d %s", code, stderr)
	}
	pidFile := filepath.Join(h.dir, "mfa.pid")
	mkfifo(t, pidFile)
	cmd, stderr := h.command([]string{"MFA_PID=" + pidFile}, "export", "--format=json", "alice")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := waitForPID(t, pidFile)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := h.wait(cmd); code != 143 || stderr.String() != "aws-vault: error: export: terminated\n" {
		t.Errorf("status %d, stderr %q", code, stderr)
	}
	if syscall.Kill(pid, 0) == nil && !zombie(pid) {
		syscall.Kill(pid, syscall.SIGKILL)
		t.Errorf("mfa_process (pid %d) left running", pid)
	}
}

// waitForPID reads the pid a helper program writes to fifo (a named pipe
// made with mkfifo; echo $$ > "$FIFO"): its write is the signal that it
// runs, nothing is polled.
func waitForPID(t *testing.T, fifo string) int {
	t.Helper()
	f, err := openFIFO(fifo, os.O_RDONLY, os.O_WRONLY)
	if err != nil {
		t.Fatalf("waiting for a pid in %s: %v", fifo, err)
	}
	defer f.Close()
	if err := f.SetReadDeadline(time.Now().Add(bound)); err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(f)
	pid, perr := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || perr != nil {
		t.Fatalf("no pid in %s: %q, %v", fifo, b, errors.Join(err, perr))
	}
	return pid
}
