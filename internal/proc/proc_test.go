//go:build !windows

package proc

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestRun(t *testing.T) {
	sh := func(line string) Command {
		path, args := Shell(line)
		return Command{Path: path, Args: args, MaxOutput: 16}
	}
	if out, err := Run(context.Background(), sh("printf 123456")); err != nil || string(out) != "123456" {
		t.Errorf("got %q, %v", out, err)
	}
	var exitErr *ExitError
	if _, err := Run(context.Background(), sh("exit 3")); !errors.As(err, &exitErr) || exitErr.Status != 3 {
		t.Errorf("exit: %v", err)
	}
	// An endless writer is stopped at the cap (io.Copy must not bypass it).
	var tooLarge *OutputTooLargeError
	if _, err := Run(context.Background(), sh("yes")); !errors.As(err, &tooLarge) {
		t.Errorf("endless output: %v", err)
	}
}

// A program that never answers is killed with its children when the
// context ends: nothing is left running.
func TestRunKillsTheGroup(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "child-still-alive")
	path, args := Shell("(sleep 1; touch " + marker + ") & sleep 30")
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := Run(ctx, Command{Path: path, Args: args, MaxOutput: 16}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("took %s", time.Since(start))
	}
	time.Sleep(1500 * time.Millisecond)
	if _, err := os.Stat(marker); err == nil {
		t.Error("the background child survived the timeout")
	}
}

// RunWithin reports the limit running out as a *TimeoutError, and the
// caller's own cancellation as the context's error.
func TestRunWithin(t *testing.T) {
	path, args := Shell("sleep 30")
	c := Command{Path: path, Args: args, MaxOutput: 16}
	var timeout *TimeoutError
	if _, err := RunWithin(context.Background(), System{}, c, 100*time.Millisecond); !errors.As(err, &timeout) ||
		timeout.Limit != 100*time.Millisecond || err.Error() != "no answer within 100ms" {
		t.Errorf("limit: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := RunWithin(ctx, System{}, c, time.Minute); !errors.Is(err, context.DeadlineExceeded) || errors.As(err, &timeout) {
		t.Errorf("caller's deadline: %v", err)
	}
}

// System gives its Env to commands that have none of their own.
func TestSystemEnv(t *testing.T) {
	path, args := Shell(`printf %s "$PROC_TEST"`)
	c := Command{Path: path, Args: args, MaxOutput: 16}
	if out, err := (System{Env: []string{"PROC_TEST=system"}}).Run(context.Background(), c); err != nil || string(out) != "system" {
		t.Errorf("System.Env: %q, %v", out, err)
	}
	c.Env = []string{"PROC_TEST=own"}
	if out, err := (System{Env: []string{"PROC_TEST=system"}}).Run(context.Background(), c); err != nil || string(out) != "own" {
		t.Errorf("the command's own Env: %q, %v", out, err)
	}
}
