//go:build !windows

package main

import (
	"context"
	"os"
	"syscall"
	"testing"
	"time"
)

// TestSignalContext: waiting on the root context installs the handlers,
// and SIGTERM then cancels it instead of killing the process; contexts
// derived from it are cancelled with it.
func TestSignalContext(t *testing.T) {
	ctx := signalContext()
	child, cancel := context.WithCancel(ctx)
	defer cancel()
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-child.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("SIGTERM did not cancel the context")
	}
	if ctx.Err() != context.Canceled {
		t.Errorf("root context: %v", ctx.Err())
	}
}
