//go:build !windows

package server

import (
	"context"
	"testing"
	"time"
)

// A failing command's error names it and carries the first line it
// printed on stderr; a command that hangs is stopped.
func TestRunAliasCommand(t *testing.T) {
	err := runAliasCommand(context.Background(), []string{"/bin/sh", "-c", "echo 'RTNETLINK answers: Operation not permitted' >&2; echo more >&2; exit 2"})
	want := "/bin/sh -c echo 'RTNETLINK answers: Operation not permitted' >&2; echo more >&2; exit 2: exited with status 2: RTNETLINK answers: Operation not permitted"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := runAliasCommand(ctx, []string{"/bin/sh", "-c", "sleep 30"}); err == nil {
		t.Error("hanging command: no error")
	}
	if time.Since(start) > 10*time.Second {
		t.Error("hanging command was not stopped")
	}
	if err := runAliasCommand(context.Background(), []string{"/bin/true"}); err != nil {
		t.Errorf("true: %v", err)
	}
}
