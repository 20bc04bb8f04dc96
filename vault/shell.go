package vault

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"runtime"
	"time"
)

// maxProcessOutput caps what is read from credential_process and
// web_identity_token_process.
const maxProcessOutput = 1 << 20

// ShellCommand returns the command that runs line through the shell:
// /bin/sh -c on Unix, cmd.exe /C on Windows.
func ShellCommand(ctx context.Context, line string) *exec.Cmd {
	if runtime.GOOS == "windows" {
		return exec.CommandContext(ctx, "cmd.exe", "/C", line)
	}
	return exec.CommandContext(ctx, "/bin/sh", "-c", line)
}

// processIO is what a helper process is connected to.
type processIO struct {
	env    []string
	stdin  io.Reader
	stderr io.Writer
	// terminal says stdin is the user's terminal: the process then stays in
	// our process group so it may prompt there; otherwise it gets a group
	// of its own, killed whole on timeout so nothing is left behind.
	terminal bool
}

// runProcess runs line through the shell and returns its stdout. It is
// killed after timeout; output beyond maxProcessOutput is an error. Errors
// never contain the output.
func runProcess(ctx context.Context, line string, pio processIO, timeout time.Duration) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := ShellCommand(ctx, line)
	cmd.Env, cmd.Stdin, cmd.Stderr = pio.env, pio.stdin, pio.stderr
	cmd.WaitDelay = time.Second
	if !pio.terminal {
		killGroupOnCancel(cmd)
	}
	var out limitedBuffer
	cmd.Stdout = &out
	err := cmd.Run()
	switch {
	case ctx.Err() == context.DeadlineExceeded:
		return nil, fmt.Errorf("no answer within %s", timeout)
	case out.overflow:
		return nil, fmt.Errorf("output larger than %d bytes", maxProcessOutput)
	case err != nil:
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return nil, fmt.Errorf("exited with status %d", exitErr.ExitCode())
		}
		return nil, err
	}
	return out.Bytes(), nil
}

// limitedBuffer keeps at most maxProcessOutput bytes. It does not embed
// bytes.Buffer: io.Copy would use the embedded ReadFrom and skip the cap.
type limitedBuffer struct {
	buf      bytes.Buffer
	overflow bool
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if b.buf.Len()+len(p) > maxProcessOutput {
		b.overflow = true
		return 0, errors.New("output too large")
	}
	return b.buf.Write(p)
}

// Bytes returns what was written.
func (b *limitedBuffer) Bytes() []byte { return b.buf.Bytes() }
