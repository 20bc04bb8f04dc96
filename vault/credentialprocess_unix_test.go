//go:build unix

package vault_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A credential_process that does not answer is stopped at the limit
// (ChainOptions.ProcessTimeout, AWS_VAULT_PROCESS_TIMEOUT on the command
// line), its children with it, and the error names the profile and the
// limit.
func TestHungCredentialProcessIsStoppedWithChildren(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "child")
	cfg := sourcesConfig + "\n[profile cp]\ncredential_process = sleep 60 & echo $! > " + pidFile + "; wait\n"
	e := newChainEnv(t, cfg, nil)
	start := time.Now()
	_, err := e.get("cp", getOpts{})
	if err == nil || !strings.Contains(err.Error(), "profile cp: credential_process") ||
		!strings.Contains(err.Error(), "no answer within 2s; stopped it (set AWS_VAULT_PROCESS_TIMEOUT to wait longer)") {
		t.Fatalf("got %v", err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("took %s", took)
	}
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for running(pid) {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("the process's child %d is still running", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// running reports whether pid is alive (a zombie awaiting its reaper is
// not).
func running(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true // no /proc: trust kill(2)
	}
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	return len(fields) == 0 || fields[0] != "Z"
}
