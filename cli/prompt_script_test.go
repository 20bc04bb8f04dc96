//go:build unix

package cli_test

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestPromptScripts runs cli/testdata/prompt: MFA prompt drivers driven
// through fake zenity, kdialog, osascript and ykman programs, mfa_process,
// and --prompt validation.
func TestPromptScripts(t *testing.T) {
	t.Parallel()
	p := scriptParams(t, "testdata/prompt")
	p.Cmds["alive"] = cmdAlive
	p.Cmds["clock"] = cmdClock
	p.Condition = func(cond string) (bool, error) {
		if cond != "hastty" {
			return false, fmt.Errorf("unknown condition %q", cond)
		}
		return hasTTY(), nil
	}
	testscript.Run(t, p)
}

// hasTTY reports whether this test (and so every aws-vault a script runs
// without ttyin) has a controlling terminal. Scripts that check behaviour
// without one skip then: run go test under setsid, as CI effectively does.
func hasTTY() bool {
	f, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return false
	}
	f.Close()
	return true
}

// alive PIDFILE asserts the process whose pid the file holds is running;
// "! alive" waits up to 2 s for it to be gone.
func cmdAlive(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: alive pidfile")
	}
	pid, err := strconv.Atoi(strings.TrimSpace(ts.ReadFile(args[0])))
	ts.Check(err)
	deadline := time.Now().Add(2 * time.Second)
	for {
		running := syscall.Kill(pid, 0) == nil && !zombie(pid)
		switch {
		case running && !neg, !running && neg:
			return
		case !running:
			ts.Fatalf("process %d is not running", pid)
		case time.Now().After(deadline):
			ts.Fatalf("process %d is still running", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// zombie reports whether pid has exited but not been reaped (Linux; where
// /proc is missing it says no). Orphans are reaped by PID 1, which in a
// container may never do it.
func zombie(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// The state follows the parenthesised command name.
	i := strings.LastIndex(string(stat), ") ")
	return i >= 0 && strings.HasPrefix(string(stat[i+2:]), "Z")
}

// clock start | clock max DURATION: asserts that at most DURATION passed
// since "clock start" (a hung program was cut at its bound).
func cmdClock(ts *testscript.TestScript, neg bool, args []string) {
	switch {
	case len(args) == 1 && args[0] == "start" && !neg:
		ts.Setenv("CLOCK_START", strconv.FormatInt(time.Now().UnixNano(), 10))
	case len(args) == 2 && args[0] == "max" && !neg:
		limit, err := time.ParseDuration(args[1])
		ts.Check(err)
		start, err := strconv.ParseInt(ts.Getenv("CLOCK_START"), 10, 64)
		ts.Check(err)
		if took := time.Since(time.Unix(0, start)); took > limit {
			ts.Fatalf("took %s, more than %s", took.Round(time.Millisecond), limit)
		}
	default:
		ts.Fatalf("usage: clock start | clock max duration")
	}
}
