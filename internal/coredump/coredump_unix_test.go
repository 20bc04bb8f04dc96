//go:build unix

package coredump

import (
	"testing"

	"golang.org/x/sys/unix"
)

func softCoreLimit(t *testing.T) uint64 {
	t.Helper()
	var r unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_CORE, &r); err != nil {
		t.Fatal(err)
	}
	return uint64(r.Cur)
}

// On every Unix, Disable sets the soft core limit to 0 and ForChild gives
// the command it starts the limit the process had.
func TestDisableOnEveryUnix(t *testing.T) {
	var r unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_CORE, &r); err != nil {
		t.Fatal(err)
	}
	if r.Max == 0 {
		t.Skip("the hard core limit is 0 here: nothing to lower")
	}
	r.Cur = r.Max
	if err := unix.Setrlimit(unix.RLIMIT_CORE, &r); err != nil {
		t.Fatal(err)
	}
	l := Disable()
	if got := softCoreLimit(t); got != 0 {
		t.Fatalf("soft core limit after Disable: %d, want 0", got)
	}
	var inChild uint64
	if err := l.ForChild(func() error { inChild = softCoreLimit(t); return nil }); err != nil {
		t.Fatal(err)
	}
	if inChild != uint64(r.Cur) {
		t.Errorf("soft core limit for the child: %d, want %d", inChild, r.Cur)
	}
	if got := softCoreLimit(t); got != 0 {
		t.Errorf("soft core limit after ForChild: %d, want 0", got)
	}
}
