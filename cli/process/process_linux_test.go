//go:build linux

package process

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/awsvault/aws-vault/internal/coredump"
	"golang.org/x/sys/unix"
)

// On the child-process path too, the user's command gets the core file
// size limit aws-vault was started with, while aws-vault keeps 0.
func TestRunGivesCoreLimitBack(t *testing.T) {
	var orig unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_CORE, &orig); err != nil {
		t.Fatal(err)
	}
	started := unix.Rlimit{Cur: min(orig.Max, 1<<20), Max: orig.Max}
	if started.Cur == 0 {
		t.Skip("the hard core file size limit is 0 here")
	}
	if err := unix.Setrlimit(unix.RLIMIT_CORE, &started); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		unix.Setrlimit(unix.RLIMIT_CORE, &orig)
		unix.Prctl(unix.PR_SET_DUMPABLE, 1, 0, 0, 0)
	})
	var out bytes.Buffer
	status, err := System{Limits: coredump.Disable()}.Run(context.Background(), Command{
		Path: "/bin/cat", Args: []string{"cat", "/proc/self/limits"}, Stdout: &out,
	})
	if err != nil || status != 0 {
		t.Fatal(status, err)
	}
	if got, want := coreSoftLimit(t, out.String()), strconv.FormatUint(started.Cur, 10); got != want {
		t.Errorf("the child's soft core limit: %s, want %s", got, want)
	}
	var now unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_CORE, &now); err != nil || now.Cur != 0 || now.Max != orig.Max {
		t.Errorf("our core limit after Run: %+v, want soft 0, hard %d", now, orig.Max)
	}
}

// coreSoftLimit is the soft "Max core file size" of a /proc limits file.
func coreSoftLimit(t *testing.T, limits string) string {
	for _, l := range strings.Split(limits, "\n") {
		if f := strings.Fields(l); len(f) > 4 && strings.HasPrefix(l, "Max core file size") {
			return f[4]
		}
	}
	t.Fatalf("no core line in %s", limits)
	return ""
}
