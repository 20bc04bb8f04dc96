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

// exitRecorder stands in for os.Exit.
type exitRecorder chan int

func (e exitRecorder) exit(code int) { e <- code }

// startWatch starts a watch whose signal channel is unbuffered, so that a
// send returns only when the loop has taken the signal, and so has
// finished with the ones before it: the tests' sends are their
// synchronisation, there are no sleeps.
func startWatch(grace time.Duration) (*signalWatch, exitRecorder, *bytes.Buffer) {
	exits := make(exitRecorder, 2)
	var stderr bytes.Buffer
	w := newSignalWatch(&stderr, exits.exit, grace)
	w.sigs = make(chan os.Signal)
	go w.loop()
	return w, exits, &stderr
}

// The first signal cancels the context with the signal as its cause; if
// aws-vault is still busy when the grace ends, it exits with 128+n.
func TestSignalWatchGraceThenExit(t *testing.T) {
	w, exits, stderr := startWatch(50 * time.Millisecond)
	defer w.stop()
	w.sigs <- syscall.SIGTERM
	<-w.ctx.Done()
	var sig signalError
	if !errors.As(context.Cause(w.ctx), &sig) || sig.status() != 143 {
		t.Fatalf("cause %v", context.Cause(w.ctx))
	}
	select {
	case code := <-exits:
		if code != 143 || stderr.String() != "aws-vault: error: terminated by SIGTERM\n" {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no exit after the grace period")
	}
}

// A second signal exits at once; a Main that returned in time is never
// cut short.
func TestSignalWatchSecondSignalAndReturn(t *testing.T) {
	w, exits, _ := startWatch(time.Hour)
	w.sigs <- os.Interrupt
	<-w.ctx.Done()
	w.sigs <- os.Interrupt
	if code := <-exits; code != 130 {
		t.Errorf("second signal: exit %d", code)
	}
	w.stop()

	// Main returns during the grace: the end of the grace, or a late
	// second signal, then exits no more.
	w, exits, _ = startWatch(time.Hour)
	w.sigs <- syscall.SIGTERM
	<-w.ctx.Done()
	w.stop() // Main returned
	w.forceExit(signalError{syscall.SIGTERM})
	select {
	case code := <-exits:
		t.Errorf("exit %d after Main returned", code)
	default:
	}
}

// While the command exec runs is a child, signals are its own: no cancel,
// no exit, whatever arrives.
func TestSignalWatchChildHasSignals(t *testing.T) {
	w, exits, _ := startWatch(10 * time.Millisecond)
	defer w.stop()
	w.hold(1)
	w.sigs <- syscall.SIGTERM
	w.sigs <- syscall.SIGTERM
	w.sigs <- syscall.SIGTERM // taken: the loop is done with the two before
	if w.ctx.Err() != nil {
		t.Error("context cancelled while a child had the signals")
	}
	select {
	case code := <-exits:
		t.Errorf("exit %d while a child had the signals", code)
	default:
	}
	w.hold(-1)
	w.sigs <- syscall.SIGTERM
	if code := <-exits; code != 143 {
		t.Errorf("after the child: exit %d", code)
	}
}
