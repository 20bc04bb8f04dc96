package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/awsvault/aws-vault/cli/process"
)

// stopGrace is how long aws-vault has to end by itself after SIGINT or
// SIGTERM cancels its context (prompts, helper programs, lock waits and
// AWS calls all watch it, and clean up on the way out) before it exits
// anyway: something that does not watch the context, such as an open(2)
// blocked on a named pipe, must not keep it running. aws-vault v7.2.0
// dies at once on SIGTERM.
const stopGrace = time.Second

// Run is aws-vault's main program: Main under a context that the first
// SIGINT or SIGTERM cancels. If Main has not returned stopGrace later, or
// at a second signal, aws-vault exits with the signal's status (128+n, as
// a shell reports a program killed by it). While the command exec runs is
// a child, the signals are its own: they are forwarded to it and
// aws-vault waits for its exit status.
func Run(args []string, deps *Deps) int {
	w := newSignalWatch(deps.Stderr, os.Exit, stopGrace)
	defer w.stop()
	deps.Runner = childSignalsRunner{Runner: deps.Runner, w: w}
	return Main(w.lazyContext(), args, deps)
}

// lazyContext is w's context, with the signal handlers installed when
// something first waits on it (calls Done, as deriving a context does):
// os/signal's first Notify starts three threads and waits for one of
// them, about 0.2 ms that a warm call, which waits on nothing, need not
// pay. Until then a signal has its default action and ends the process at
// once, as aws-vault v7.2.0 does: nothing of ours is left that a kill
// would not also leave.
func (w *signalWatch) lazyContext() context.Context {
	return &lazySignals{Context: w.ctx, install: sync.OnceFunc(func() {
		signal.Notify(w.sigs, caughtSignals()...)
		go w.loop()
	})}
}

// lazySignals is a context that installs its signal handlers on the first
// call of Done.
type lazySignals struct {
	context.Context
	install func()
}

// Done implements context.Context.
func (c *lazySignals) Done() <-chan struct{} {
	c.install()
	return c.Context.Done()
}

// caughtSignals are SIGINT and SIGTERM, less those the process was
// started with ignored (a background job ignores SIGINT): catching one
// would un-ignore it for the command exec runs.
func caughtSignals() []os.Signal {
	var out []os.Signal
	for _, s := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		if !signal.Ignored(s) {
			out = append(out, s)
		}
	}
	return out
}

// signalError is the cause of a context cancelled by a signal; it ends
// aws-vault with the signal's exit status.
type signalError struct{ sig os.Signal }

func (e signalError) Error() string {
	if e.sig == os.Interrupt {
		return "interrupted"
	}
	return "terminated"
}

// status is 128 plus the signal number, as a shell reports it.
func (e signalError) status() int {
	if s, ok := e.sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 130
}

// name is the signal's usual name, for messages.
func (e signalError) name() string {
	if e.sig == os.Interrupt {
		return "SIGINT"
	}
	return "SIGTERM"
}

// signalWatch turns signals into a cancelled context, then into an exit.
type signalWatch struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
	sigs   chan os.Signal
	stderr io.Writer
	exit   func(int)
	grace  time.Duration
	quit   chan struct{}

	mu       sync.Mutex
	held     int  // children running that have the signals
	finished bool // Main has returned
}

func newSignalWatch(stderr io.Writer, exit func(int), grace time.Duration) *signalWatch {
	ctx, cancel := context.WithCancelCause(context.Background())
	return &signalWatch{ctx: ctx, cancel: cancel, sigs: make(chan os.Signal, 4), stderr: stderr,
		exit: exit, grace: grace, quit: make(chan struct{})}
}

// loop handles signals until stop: the first cancels the context and
// starts the grace period; the end of it, or a second signal, exits.
func (w *signalWatch) loop() {
	var first *signalError
	var deadline <-chan time.Time
	for {
		select {
		case sig := <-w.sigs:
			switch {
			case w.childHasSignals():
			case first != nil:
				w.forceExit(signalError{sig})
			default:
				first = &signalError{sig}
				w.cancel(*first)
				deadline = time.After(w.grace)
			}
		case <-deadline:
			if !w.childHasSignals() {
				w.forceExit(*first)
			}
		case <-w.quit:
			return
		}
	}
}

// forceExit ends the process, unless Main has returned meanwhile (its own
// status is then on the way out).
func (w *signalWatch) forceExit(e signalError) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.finished {
		return
	}
	w.finished = true
	fmt.Fprintf(w.stderr, "aws-vault: error: %s by %s\n", e.Error(), e.name())
	w.exit(e.status())
}

func (w *signalWatch) childHasSignals() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.held > 0
}

func (w *signalWatch) hold(n int) {
	w.mu.Lock()
	w.held += n
	w.mu.Unlock()
}

// stop ends the watch once Main has returned.
func (w *signalWatch) stop() {
	w.mu.Lock()
	w.finished = true
	w.mu.Unlock()
	signal.Stop(w.sigs)
	close(w.quit)
	w.cancel(nil)
}

// childSignalsRunner leaves SIGINT and SIGTERM to the command exec runs
// as a child (process.System.Run forwards them) for as long as it runs.
type childSignalsRunner struct {
	process.Runner
	w *signalWatch
}

func (r childSignalsRunner) Run(ctx context.Context, c process.Command) (int, error) {
	r.w.hold(1)
	defer r.w.hold(-1)
	return r.Runner.Run(ctx, c)
}
