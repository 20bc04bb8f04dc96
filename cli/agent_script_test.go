//go:build linux

package cli_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestAgentScripts runs cli/testdata/agent: aws-vault unlock and lock with
// real agents, each script with a runtime directory of its own. Every agent
// a script starts is killed when the script ends, whatever it did.
func TestAgentScripts(t *testing.T) {
	t.Parallel()
	p := scriptParams(t, "testdata/agent")
	p.Cmds["agentpid"] = cmdAgentPID
	p.Cmds["waitgone"] = cmdWaitGone
	p.Cmds["execn"] = cmdExecN
	p.Cmds["nosecret"] = cmdNoSecret
	p.Cmds["signal"] = cmdSignal
	p.Cmds["clock"] = cmdClock
	p.Cmds["notcontains"] = cmdNotContains
	p.Condition = func(cond string) (bool, error) {
		if cond != "hastty" {
			return false, fmt.Errorf("unknown condition %q", cond)
		}
		return hasTTY(), nil
	}
	setup := p.Setup
	p.Setup = func(e *testscript.Env) error {
		if err := setup(e); err != nil {
			return err
		}
		// A short path: a Unix socket's is at most 108 bytes.
		run, err := os.MkdirTemp("", "avrun")
		if err != nil {
			return err
		}
		e.Setenv("XDG_RUNTIME_DIR", run)
		e.Defer(func() {
			for _, pid := range agentsOf(run) {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
			os.RemoveAll(run)
		})
		return nil
	}
	testscript.Run(t, p)
}

// agentsOf lists the running agents whose runtime directory is run.
func agentsOf(run string) []int {
	var pids []int
	procs, _ := filepath.Glob("/proc/[0-9]*")
	for _, dir := range procs {
		pid, err := strconv.Atoi(filepath.Base(dir))
		if err != nil || zombie(pid) {
			continue
		}
		cmdline, _ := os.ReadFile(filepath.Join(dir, "cmdline"))
		environ, _ := os.ReadFile(filepath.Join(dir, "environ"))
		if bytes.Equal(cmdline, []byte("aws-vault\x00agent\x00")) &&
			bytes.Contains(append([]byte{0}, environ...), []byte("\x00XDG_RUNTIME_DIR="+run+"\x00")) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// agentpid FILE writes the pid of the script's one agent to FILE;
// "! agentpid" asserts that no agent runs.
func cmdAgentPID(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: agentpid file")
	}
	pids := agentsOf(ts.Getenv("XDG_RUNTIME_DIR"))
	switch {
	case neg && len(pids) > 0:
		ts.Fatalf("agents run: %v", pids)
	case neg:
		return
	case len(pids) != 1:
		ts.Fatalf("want one agent, found %v", pids)
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(strconv.Itoa(pids[0])), 0o600))
}

// waitgone PIDFILE SECONDS waits for the process to be gone, at most that
// long.
func cmdWaitGone(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: waitgone pidfile seconds")
	}
	pid, err := strconv.Atoi(strings.TrimSpace(ts.ReadFile(args[0])))
	ts.Check(err)
	secs, err := strconv.Atoi(args[1])
	ts.Check(err)
	start := time.Now()
	for syscall.Kill(pid, 0) == nil && !zombie(pid) {
		if time.Since(start) > time.Duration(secs)*time.Second {
			ts.Fatalf("process %d still runs after %ds", pid, secs)
		}
		time.Sleep(50 * time.Millisecond)
	}
	ts.Logf("process %d gone after %v", pid, time.Since(start).Round(time.Millisecond))
}

// execn N PROG ARGS... runs a program N times; every run must succeed.
// stdout and stderr are the last run's.
func cmdExecN(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: execn n program args...")
	}
	n, err := strconv.Atoi(args[0])
	ts.Check(err)
	for i := 1; i <= n; i++ {
		if err := ts.Exec(args[1], args[2:]...); err != nil {
			ts.Fatalf("run %d of %d: %v", i, n, err)
		}
	}
}

// nosecret NEEDLEFILE PIDFILE: the trimmed contents of NEEDLEFILE (the
// passphrase) are in neither the process's environment nor its command
// line, nor in any file under $WORK or $XDG_RUNTIME_DIR but NEEDLEFILE.
func cmdNoSecret(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: nosecret needlefile pidfile")
	}
	needle := []byte(strings.TrimSpace(ts.ReadFile(args[0])))
	pid := strings.TrimSpace(ts.ReadFile(args[1]))
	for _, f := range []string{"environ", "cmdline"} {
		data, err := os.ReadFile("/proc/" + pid + "/" + f)
		ts.Check(err)
		if len(data) == 0 || bytes.Contains(data, needle) {
			ts.Fatalf("/proc/%s/%s holds the passphrase (or is empty)", pid, f)
		}
	}
	skip := ts.MkAbs(args[0])
	for _, root := range []string{ts.Getenv("WORK"), ts.Getenv("XDG_RUNTIME_DIR")} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() || path == skip {
				return err
			}
			data, err := os.ReadFile(path)
			if err == nil && bytes.Contains(data, needle) {
				ts.Fatalf("%s holds the passphrase", path)
			}
			return err
		})
		ts.Check(err)
	}
}

// signal PIDFILE NAME sends SIGTERM (TERM) or SIGKILL (KILL).
func cmdSignal(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: signal pidfile TERM|KILL|STOP|CONT")
	}
	pid, err := strconv.Atoi(strings.TrimSpace(ts.ReadFile(args[0])))
	ts.Check(err)
	sig := map[string]syscall.Signal{"TERM": syscall.SIGTERM, "KILL": syscall.SIGKILL, "STOP": syscall.SIGSTOP, "CONT": syscall.SIGCONT}[args[1]]
	if sig == 0 {
		ts.Fatalf("unknown signal %s", args[1])
	}
	ts.Check(syscall.Kill(pid, sig))
}
