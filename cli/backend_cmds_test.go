//go:build linux

package cli_test

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"syscall"

	"github.com/rogpeppe/go-internal/testscript"
)

// backendCommands are the script commands of the backend scripts.
func backendCommands() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"dbusdaemons": cmdDBusDaemons,
		"fakebus":     cmdFakeBus,
	}
}

// dbusMarkEnv marks the processes a script starts: a dbus-daemon that
// dbus-launch starts inherits it, which tells ours from any other on the
// machine (other test binaries, the desktop).
const dbusMarkEnv = "AWSVAULT_DBUS_MARK"

// dbusdaemons save | check [N] | kill: count the dbus-daemon processes
// before and after, failing unless exactly N (default 0) new ones carry the
// script's mark. kill ends the marked ones (started by the script).
func cmdDBusDaemons(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: dbusdaemons save | check [N] | kill")
	}
	mark := dbusMarkEnv + "=" + ts.Getenv(dbusMarkEnv)
	all, ours := dbusDaemons(mark)
	switch args[0] {
	case "save":
		ts.Setenv("DBUS_DAEMONS_BEFORE", strconv.Itoa(len(all)))
		ts.Setenv("DBUS_DAEMONS_OURS_BEFORE", strconv.Itoa(len(ours)))
	case "check":
		want := 0
		if len(args) > 1 {
			want, _ = strconv.Atoi(args[1])
		}
		before, _ := strconv.Atoi(ts.Getenv("DBUS_DAEMONS_BEFORE"))
		oursBefore, _ := strconv.Atoi(ts.Getenv("DBUS_DAEMONS_OURS_BEFORE"))
		ts.Logf("dbus-daemon processes: %d before, %d now; started by this script: %d", before, len(all), len(ours)-oursBefore)
		if len(ours)-oursBefore != want {
			ts.Fatalf("%d dbus-daemon processes started by this script (pids %v), want %d", len(ours)-oursBefore, ours, want)
		}
	case "kill":
		for _, pid := range ours {
			ts.Check(syscall.Kill(pid, syscall.SIGTERM))
		}
	default:
		ts.Fatalf("usage: dbusdaemons save | check [N] | kill")
	}
}

// dbusDaemons scans /proc for dbus-daemon processes, and those of them
// whose environment holds mark.
func dbusDaemons(mark string) (all, ours []int) {
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		comm, err := os.ReadFile(filepath.Join("/proc", e.Name(), "comm"))
		if err != nil || string(bytes.TrimSpace(comm)) != "dbus-daemon" {
			continue
		}
		all = append(all, pid)
		environ, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		for _, kv := range bytes.Split(environ, []byte{0}) {
			if string(kv) == mark {
				ours = append(ours, pid)
			}
		}
	}
	return all, ours
}

// fakeBus is a Unix socket standing for a session bus, counting the
// connections made to it; each is closed at once, so a client fails fast.
type fakeBus struct {
	conns atomic.Int64
}

// fakebus start | conns: listen, point DBUS_SESSION_BUS_ADDRESS at the
// socket, and print how many connections arrived.
func cmdFakeBus(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: fakebus start | conns")
	}
	bus, ok := ts.Value("fakebus").(*fakeBus)
	if !ok {
		ts.Fatalf("fakebus: not set up")
	}
	switch args[0] {
	case "start":
		dir, err := os.MkdirTemp("", "avbus")
		ts.Check(err)
		ts.Defer(func() { os.RemoveAll(dir) })
		sock := filepath.Join(dir, "bus")
		l, err := net.Listen("unix", sock)
		ts.Check(err)
		ts.Defer(func() { l.Close() })
		go bus.serve(l)
		ts.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+sock)
	case "conns":
		fmt.Fprintf(ts.Stdout(), "connections %d\n", bus.conns.Load())
	default:
		ts.Fatalf("usage: fakebus start | conns")
	}
}

func (b *fakeBus) serve(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		b.conns.Add(1)
		c.Close()
	}
}
