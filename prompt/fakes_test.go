package prompt

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"

	"github.com/awsvault/aws-vault/internal/proc"
)

// fakeTTY is a terminal made of a reader (what the user types) and a
// buffer (what is shown). Its Fd is no terminal, so nothing is erased.
type fakeTTY struct {
	in     io.Reader
	mu     sync.Mutex
	shown  bytes.Buffer
	closed bool
}

func newFakeTTY(typed string) *fakeTTY { return &fakeTTY{in: strings.NewReader(typed)} }

func (t *fakeTTY) Read(p []byte) (int, error) { return t.in.Read(p) }

func (t *fakeTTY) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.shown.Write(p)
}

func (t *fakeTTY) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	return nil
}

func (t *fakeTTY) Fd() uintptr { return 1 << 20 }

func (t *fakeTTY) output() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.shown.String()
}

func (t *fakeTTY) opener() TTYOpener { return func() (TTY, error) { return t, nil } }

func noTTY() (TTY, error) { return nil, ErrNoTerminal }

// fakeRunner records the commands it is asked to run and plays run.
type fakeRunner struct {
	mu   sync.Mutex
	cmds []proc.Command
	run  func(ctx context.Context, c proc.Command) ([]byte, error)
}

func (r *fakeRunner) Run(ctx context.Context, c proc.Command) ([]byte, error) {
	r.mu.Lock()
	r.cmds = append(r.cmds, c)
	r.mu.Unlock()
	return r.run(ctx, c)
}

// answers returns a runner that prints out.
func answers(out string) *fakeRunner {
	return &fakeRunner{run: func(context.Context, proc.Command) ([]byte, error) { return []byte(out), nil }}
}

// fails returns a runner whose program exits with status.
func fails(status int) *fakeRunner {
	return &fakeRunner{run: func(context.Context, proc.Command) ([]byte, error) { return nil, &proc.ExitError{Status: status} }}
}

// hangs returns a runner whose program runs until it is stopped.
func hangs() *fakeRunner {
	return &fakeRunner{run: func(ctx context.Context, _ proc.Command) ([]byte, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}}
}
