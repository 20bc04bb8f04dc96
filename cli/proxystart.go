package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"

	"github.com/awsvault/aws-vault/server"
)

// runningProxy is the EC2 metadata proxy that exec --ec2-server started.
// Its stdin is a pipe whose write end aws-vault holds: the first line is
// the stop secret, and end of file (aws-vault has exited, however it
// ended) stops the proxy too.
type runningProxy struct {
	secret string
	stdin  *os.File
	// exited is closed when the proxy is known to have ended; nil when
	// it runs detached (through sudo -b) and cannot be watched.
	exited chan struct{}
}

// startProxy starts `aws-vault proxy` as root, by the absolute path of
// this executable (a name found through PATH would be looked up again by
// sudo, in root's PATH), and hands it the stop secret on its stdin:
// sudo drops the environment, and argv is visible to every user.
func startProxy(ctx context.Context, s *session) (*runningProxy, error) {
	exe, err := s.Executable()
	if err != nil {
		return nil, fmt.Errorf("starting the EC2 metadata proxy: finding aws-vault's own path: %w", err)
	}
	secret, err := server.NewToken(nil)
	if err != nil {
		return nil, err
	}
	args := []string{"proxy"}
	if s.flags.Debug {
		args = append(args, "--debug")
	}
	cmd, detached, err := proxyCommand(s, exe, args)
	if err != nil {
		return nil, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("starting the EC2 metadata proxy: %w", err)
	}
	defer r.Close()
	cmd.Stdin = r
	// Files, not writers: a detached proxy keeps them open, and Wait would
	// wait for a copying goroutine that never ends.
	cmd.Stdout = nil
	if f, ok := s.Stderr.(*os.File); ok {
		cmd.Stderr = f
	}
	cmd.Env = withoutVar(s.Environ(), filePassphraseVar)
	s.log.Printf("starting the EC2 metadata proxy: %s", cmd.Args)
	if err := cmd.Start(); err != nil {
		w.Close()
		return nil, fmt.Errorf("starting the EC2 metadata proxy: %w", err)
	}
	p := &runningProxy{secret: secret, stdin: w}
	if _, err := io.WriteString(w, secret+"\n"); err != nil {
		w.Close()
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, fmt.Errorf("starting the EC2 metadata proxy: handing it its stop secret: %w", err)
	}
	if !detached {
		p.exited = make(chan struct{})
		go func() {
			_ = cmd.Wait()
			close(p.exited)
		}()
		return p, nil
	}
	// sudo -b returns once the proxy runs in the background (after a
	// password prompt, if sudo asks).
	if err := waitCommand(ctx, cmd, proxyStartTimeout); err != nil {
		w.Close()
		return nil, fmt.Errorf("starting the EC2 metadata proxy with %s: %w", cmd.Path, err)
	}
	return p, nil
}

// waitCommand waits for cmd, killing it when ctx ends or after limit.
func waitCommand(ctx context.Context, cmd *exec.Cmd, limit time.Duration) error {
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		_ = cmd.Process.Kill()
		<-done
		return ctx.Err()
	case <-timer.C:
		_ = cmd.Process.Kill()
		<-done
		return fmt.Errorf("no answer within %s", limit)
	}
}

// waitReady waits until the proxy answers on 169.254.169.254:80: the
// SDKs do not retry a refused connection, so the child must not start
// before.
func (p *runningProxy) waitReady(ctx context.Context) error {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if p.exited != nil {
		go func() {
			select {
			case <-p.exited:
				cancel()
			case <-wctx.Done():
			}
		}()
	}
	err := server.WaitForProxy(wctx, server.MetadataAddr, proxyAnswerTimeout)
	if err != nil && p.gone() {
		return errors.New("the EC2 metadata proxy stopped before it answered on " + server.MetadataAddr + " (its error is above)")
	}
	if err != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

func (p *runningProxy) gone() bool {
	if p.exited == nil {
		return false
	}
	select {
	case <-p.exited:
		return true
	default:
		return false
	}
}

// proxyStopTimeout bounds the stop of the proxy, alias removal included.
const proxyStopTimeout = 15 * time.Second

// stop sends the authenticated stop request (directly, never through
// HTTP_PROXY), which returns once the alias is gone, then closes the
// proxy's stdin: a proxy that missed the request stops at end of file.
func (p *runningProxy) stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), proxyStopTimeout)
	defer cancel()
	var err error
	if !p.gone() && server.Answers(ctx, server.MetadataAddr, server.ProbeTimeout) {
		err = server.StopProxy(ctx, server.MetadataAddr, p.secret)
	}
	_ = p.stdin.Close()
	if p.exited != nil {
		select {
		case <-p.exited:
		case <-ctx.Done():
			err = errors.Join(err, fmt.Errorf("the EC2 metadata proxy did not stop within %s", proxyStopTimeout))
		}
	}
	return err
}
