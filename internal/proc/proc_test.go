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
