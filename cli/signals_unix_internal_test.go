//go:build !windows

package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"syscall"
	"testing"
	"time"
)

// Waiting on Run's context installs the handlers: SIGTERM then cancels
// it, and contexts derived from it, instead of killing the process.
func TestLazyContextInstallsHandlersOnWait(t *testing.T) {
	exits := make(exitRecorder, 2)
	w := newSignalWatch(&bytes.Buffer{}, exits.exit, time.Hour)
	defer w.stop()
	ctx := w.lazyContext()
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
	var sig signalError
	if !errors.As(context.Cause(ctx), &sig) || sig.status() != 143 {
		t.Errorf("cause %v", context.Cause(ctx))
	}
}
