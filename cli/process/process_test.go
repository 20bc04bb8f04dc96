//go:build !windows

package process

import (
	"bufio"
	"context"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// SIGTERM and SIGINT sent to aws-vault reach the child, and the child's
// exit status comes back unchanged.
func TestRunForwardsSignals(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			if reachedChild(sig) {
				t.Skipf("SKIPPED: this test has its terminal's foreground, where a %s counts as a keypress that the child got from the terminal and is not forwarded (cli's TestECSServerCtrlCReachesTheCommandOnce tests that)", sig)
			}
			r, w := io.Pipe()
			script := `trap 'echo got; exit 42' TERM INT; echo ready; while :; do sleep 0.05; done`
			done := make(chan int, 1)
			go func() {
				status, err := System{}.Run(context.Background(), Command{
					Path: "/bin/sh", Args: []string{"sh", "-c", script}, Env: os.Environ(), Stdout: w, Stderr: os.Stderr,
				})
				if err != nil {
					t.Error(err)
				}
				w.Close()
				done <- status
			}()
			lines := bufio.NewScanner(r)
			if !lines.Scan() || lines.Text() != "ready" {
				t.Fatalf("child did not start: %q", lines.Text())
			}
			if err := syscall.Kill(os.Getpid(), sig); err != nil {
				t.Fatal(err)
			}
			var rest strings.Builder
			for lines.Scan() {
				rest.WriteString(lines.Text())
			}
			select {
			case status := <-done:
				if status != 42 || rest.String() != "got" {
					t.Errorf("status %d output %q, want 42 and got", status, rest.String())
				}
			case <-time.After(10 * time.Second):
				t.Fatal("child did not exit")
			}
		})
	}
}

func TestRunExitStatus(t *testing.T) {
	status, err := System{}.Run(context.Background(), Command{Path: "/bin/sh", Args: []string{"sh", "-c", "exit 7"}})
	if err != nil || status != 7 {
		t.Errorf("status %d, err %v", status, err)
	}
	status, _ = System{}.Run(context.Background(), Command{Path: "/bin/sh", Args: []string{"sh", "-c", "kill -TERM $$"}})
	if status != 128+int(syscall.SIGTERM) {
		t.Errorf("killed child: status %d", status)
	}
}
