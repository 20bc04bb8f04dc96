//go:build linux

package cli_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// raiseCore starts argv with a soft core file size limit of 2048 blocks,
// as a user who wants core dumps would have.
const raiseCore = `ulimit -c 2048 && exec "$0" "$@"`

// coreLine is the "Max core file size" line of /proc/<pid>/limits (pid 0:
// the text given).
func coreLine(t *testing.T, limits string) string {
	t.Helper()
	for _, l := range strings.Split(limits, "\n") {
		if strings.HasPrefix(l, "Max core file size") {
			return strings.Join(strings.Fields(l), " ")
		}
	}
	t.Fatalf("no core line in:\n%s", limits)
	return ""
}

// startedLimits is the core line of a program started as raiseCore starts
// aws-vault; the test skips where the limit cannot be raised.
func startedLimits(t *testing.T) string {
	out, err := exec.Command("/bin/sh", "-c", raiseCore, "cat", "/proc/self/limits").Output()
	if err != nil {
		t.Skipf("cannot raise the core file size limit here: %v", err)
	}
	line := coreLine(t, string(out))
	if strings.Fields(line)[4] == "0" {
		t.Fatalf("the raised limit reads 0: %s", line)
	}
	return line
}

// dumpable reports whether pid is dumpable, using the rule the kernel
// applies to a non-dumpable process: without CAP_SYS_PTRACE, even its own
// user may not read its /proc/<pid>/exe link. The check runs on an OS
// thread of its own that drops CAP_SYS_PTRACE and then dies with its
// goroutine, so the rest of the test keeps its capabilities. For root the
// process must have been started by startUnprivileged: the kernel also
// refuses a caller whose capabilities are not a superset of the target's.
func dumpable(t *testing.T, pid int) bool {
	t.Helper()
	type answer struct {
		ok  bool
		err error
	}
	ch := make(chan answer, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread exits with us
		hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
		var data [2]unix.CapUserData
		if err := unix.Capget(&hdr, &data[0]); err != nil {
			ch <- answer{err: err}
			return
		}
		data[unix.CAP_SYS_PTRACE/32].Effective &^= 1 << (unix.CAP_SYS_PTRACE % 32)
		if err := unix.Capset(&hdr, &data[0]); err != nil {
			ch <- answer{err: err}
			return
		}
		_, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
		ch <- answer{ok: err == nil, err: func() error {
			if err != nil && !os.IsPermission(err) {
				return err
			}
			return nil
		}()}
	}()
	a := <-ch
	if a.err != nil {
		t.Fatalf("checking pid %d: %v", pid, a.err)
	}
	return a.ok
}

// startUnprivileged starts cmd without CAP_SYS_PTRACE in its bounding set
// when the test runs as root (so that dumpable can judge it). The set is
// per thread and a child is forked from the thread that starts it: the
// drop happens on a thread of its own, which dies with its goroutine.
func startUnprivileged(cmd *exec.Cmd) error {
	if os.Geteuid() != 0 {
		return cmd.Start()
	}
	ch := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread exits with us
		if err := unix.Prctl(unix.PR_CAPBSET_DROP, unix.CAP_SYS_PTRACE, 0, 0, 0); err != nil {
			ch <- err
			return
		}
		ch <- cmd.Start()
	}()
	return <-ch
}

// While aws-vault waits on a prompt, holding the decrypted key, it cannot
// dump core (soft limit 0) and is not dumpable, so another process of the
// user cannot read its memory; the mfa_process it runs is an ordinary,
// dumpable program (which also shows the check tells the two apart).
func TestCoreDumpsOffWhileWaiting(t *testing.T) {
	started := startedLimits(t)
	h := newVaultHome(t, "[profile alice]\nregion = us-east-1\nmfa_serial = arn:aws:iam::111111111111:mfa/alice\n"+
		"mfa_process = echo $$ > \"$MFA_PID\" && exec sleep 30\n")
	if code, stderr := h.run([]string{"AWS_ACCESS_KEY_ID=AKIAALICEEXAMPLE0001", "AWS_SECRET_ACCESS_KEY=aliceSecretKey00000000000000000000000001"},
		"add", "--env", "alice"); code != 0 {
		t.Fatalf("add: %d %s", code, stderr)
	}
	pidFile := filepath.Join(h.dir, "mfa.pid")
	mkfifo(t, pidFile)
	cmd, _ := h.command([]string{"MFA_PID=" + pidFile}, "export", "--format=json", "alice")
	cmd.Path, cmd.Args = "/bin/sh", append([]string{"sh", "-c", raiseCore}, cmd.Args...)
	cmd.Args[3] = h.path
	if err := startUnprivileged(cmd); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Signal(syscall.SIGTERM); h.wait(cmd) }()
	mfa := waitForPID(t, pidFile)
	limits, err := os.ReadFile(fmt.Sprintf("/proc/%d/limits", cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Fields(started)
	want[4] = "0" // soft limit 0, hard limit kept
	if got := coreLine(t, string(limits)); got != strings.Join(want, " ") {
		t.Errorf("aws-vault's core limit: %q, want %q", got, strings.Join(want, " "))
	}
	if dumpable(t, cmd.Process.Pid) {
		t.Error("aws-vault is dumpable while it waits on the MFA prompt")
	}
	if !dumpable(t, mfa) {
		t.Error("the mfa_process is not dumpable: the check cannot tell")
	}
}

// The command exec runs (the execve path) gets the core limit aws-vault
// was started with, and is dumpable again.
func TestExecChildGetsLimitsBack(t *testing.T) {
	started := startedLimits(t)
	h := newVaultHome(t, "[profile alice]\nregion = us-east-1\n")
	if code, stderr := h.run([]string{"AWS_ACCESS_KEY_ID=AKIAALICEEXAMPLE0001", "AWS_SECRET_ACCESS_KEY=aliceSecretKey00000000000000000000000001"},
		"add", "--env", "alice"); code != 0 {
		t.Fatalf("add: %d %s", code, stderr)
	}
	out := filepath.Join(h.dir, "limits.txt")
	cmd, _ := h.command(nil, "exec", "--no-session", "alice", "--", "/bin/sh", "-c",
		`cat /proc/self/limits > "$0.tmp" && mv "$0.tmp" "$0" && exec sleep 30`, out)
	cmd.Path, cmd.Args = "/bin/sh", append([]string{"sh", "-c", raiseCore}, cmd.Args...)
	cmd.Args[3] = h.path
	if err := startUnprivileged(cmd); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	deadline := time.Now().Add(bound)
	var limits []byte
	for limits == nil && time.Now().Before(deadline) {
		limits, _ = os.ReadFile(out)
		time.Sleep(10 * time.Millisecond)
	}
	if got := coreLine(t, string(limits)); got != started {
		t.Errorf("the command's core limit: %q, want %q", got, started)
	}
	if !dumpable(t, cmd.Process.Pid) {
		t.Error("the command exec ran is not dumpable")
	}
}
