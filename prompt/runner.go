package prompt

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/awsvault/aws-vault/internal/proc"
)

// maxOutput caps what is read from a dialog, ykman or mfa_process: an MFA
// code is six digits, so anything near this is not one.
const maxOutput = 4096

// ErrOutputTooLarge is the error of a program that printed more than
// maxOutput bytes; it was killed.
var ErrOutputTooLarge error = &proc.OutputTooLargeError{Max: maxOutput}

// runBounded runs c through r (internal/proc's runner, or a fake) with
// timeout and at most maxOutput bytes of output, and turns the ways it can
// fail into one-line errors naming what (e.g. "mfa_process") gave no code.
// The program's output never appears in an error.
func runBounded(ctx context.Context, r proc.Runner, c proc.Command, timeout time.Duration, what string) ([]byte, error) {
	c.MaxOutput = maxOutput
	out, err := proc.RunWithin(ctx, r, c, timeout)
	var exitErr *proc.ExitError
	var timeoutErr *proc.TimeoutError
	var tooLarge *proc.OutputTooLargeError
	switch {
	case err == nil:
		return out, nil
	case errors.As(err, &timeoutErr):
		return nil, fmt.Errorf("%s gave no answer within %s and was stopped", what, timeout)
	case errors.As(err, &tooLarge), errors.As(err, &exitErr):
		return nil, fmt.Errorf("%s %w", what, err)
	case ctx.Err() != nil:
		return nil, err
	}
	return nil, fmt.Errorf("%s: %w", what, err)
}
