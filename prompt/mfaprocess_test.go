//go:build unix

package prompt

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/awsvault/aws-vault/internal/proc"
)

// runMFAProcess runs command as an mfa_process with no terminal and the
// given timeout, through the real proc.System.
func runMFAProcess(t *testing.T, command string, timeout time.Duration) (string, string, error) {
	t.Helper()
	var stderr bytes.Buffer
	m := MFAProcess{
		OpenTTY: noTTY,
		Runner:  proc.System{Env: append(os.Environ(), "WORK="+t.TempDir())},
		Stderr:  &stderr,
		Timeout: timeout,
	}
	code, err := m.Run(context.Background(), command)
	return code, stderr.String(), err
}

func TestMFAProcess(t *testing.T) {
	tests := []struct {
		name, command, want, wantErr string
	}{
		{"trimmed", `printf '  123456 \n\n'`, "123456", ""},
		{"exit status", "echo 654321; exit 3", "", "mfa_process exited with status 3"},
		{"junk", "echo 'Touch your key'; echo 654321", "", "what mfa_process printed is not an MFA code (6 digits)"},
		{"nothing", "true", "", "mfa_process printed nothing"},
		{"oversized", "yes 654321", "", "mfa_process printed more than 4096 bytes"},
		{"no shell word", "/nonexistent/otp", "", "mfa_process exited with status 127"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, err := runMFAProcess(t, tt.command, 10*time.Second)
			if code != tt.want || errString(err) != tt.wantErr {
				t.Errorf("got %q, %v; want %q, %q", code, err, tt.want, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "654321") {
				t.Errorf("error shows the output: %v", err)
			}
		})
	}
}

func TestMFAProcessStderrPassedThrough(t *testing.T) {
	code, stderr, err := runMFAProcess(t, "echo 'touch the key' >&2; echo 123456", 10*time.Second)
	if err != nil || code != "123456" || stderr != "touch the key\n" {
		t.Errorf("got %q, %v, stderr %q", code, err, stderr)
	}
}

// A process that never exits is killed at the bound with its children.
func TestMFAProcessHangKilled(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "child.pid")
	start := time.Now()
	_, _, err := runMFAProcess(t, "sleep 30 & echo $! > "+pidFile+"; wait", 300*time.Millisecond)
	if want := "mfa_process gave no answer within 300ms and was stopped"; errString(err) != want {
		t.Errorf("error %v, want %s", err, want)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("took %s", took)
	}
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(data)))
	waitGone(t, pid)
}

func TestMFAProcessInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	m := MFAProcess{OpenTTY: noTTY, Runner: proc.System{}, Timeout: 10 * time.Second}
	if _, err := m.Run(ctx, "sleep 30"); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

func TestMFAProcessWithTerminal(t *testing.T) {
	tty := newFakeTTY("")
	r := answers("123456\n")
	m := MFAProcess{OpenTTY: tty.opener(), Runner: r}
	if code, err := m.Run(context.Background(), "otp"); err != nil || code != "123456" {
		t.Fatalf("got %q, %v", code, err)
	}
	c := r.cmds[0]
	if c.Stdin != TTY(tty) || c.Stderr != TTY(tty) || !c.Terminal {
		t.Errorf("mfa_process not on the terminal: %+v", c)
	}
	if c.Path != "/bin/sh" || strings.Join(c.Args, " ") != "-c otp" {
		t.Errorf("ran %s %q", c.Path, c.Args)
	}
}

// waitGone fails unless pid exits (or is a zombie) within 2 s.
func waitGone(t *testing.T, pid int) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if syscall.Kill(pid, 0) != nil {
			return
		}
		stat, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if i := bytes.LastIndex(stat, []byte(") ")); i >= 0 && bytes.HasPrefix(stat[i+2:], []byte("Z")) {
			return
		}
	}
	t.Errorf("child %d still running", pid)
}
