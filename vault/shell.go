package vault

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/awsvault/aws-vault/internal/proc"
)

// maxProcessOutput caps what is read from credential_process and
// web_identity_token_process.
const maxProcessOutput = 1 << 20

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

// runProcess runs line through the shell and returns its stdout. After
// timeout it is killed (with its process group when it does not share the
// terminal); output beyond maxProcessOutput is an error. Errors never
// contain the output.
func runProcess(ctx context.Context, line string, pio processIO, timeout time.Duration) ([]byte, error) {
	tctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	path, args := proc.Shell(line)
	out, err := proc.Run(tctx, proc.Command{Path: path, Args: args, Env: pio.env, Stdin: pio.stdin,
		Stderr: pio.stderr, Terminal: pio.terminal, MaxOutput: maxProcessOutput})
	switch {
	case err == nil:
		return out, nil
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case errors.Is(err, context.DeadlineExceeded):
		return nil, fmt.Errorf("no answer within %s; stopped it (set AWS_VAULT_PROCESS_TIMEOUT to wait longer)", timeout)
	}
	return nil, err
}
