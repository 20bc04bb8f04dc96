// Command aws-vault stores AWS credentials in the OS keyring and runs
// commands with temporary credentials.
package main

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/awsvault/aws-vault/cli"
)

func main() {
	code := cli.Main(signalContext(), os.Args[1:], cli.System())
	os.Exit(code)
}

// signalContext is cancelled on SIGTERM and SIGINT, but leaves SIGINT
// alone when it was ignored (a background job): catching it would
// un-ignore it for the command exec starts.
//
// The handlers are installed when something first waits on the context
// (calls Done): os/signal's first Notify starts three threads and waits
// for one of them, about 0.2 ms that a warm call, which waits on nothing,
// need not pay. Until then a signal has its default action and ends the
// process at once, as aws-vault v7.2.0 does and as during start-up;
// nothing of ours needs cleaning up that a kill would not also leave.
func signalContext() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	return &lazySignals{Context: ctx, install: sync.OnceFunc(func() {
		sigs := []os.Signal{syscall.SIGTERM}
		if !signal.Ignored(os.Interrupt) {
			sigs = append(sigs, os.Interrupt)
		}
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, sigs...)
		go func() {
			<-ch
			cancel()
		}()
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
