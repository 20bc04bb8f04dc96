//go:build unix

package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/awsvault/aws-vault/cli/process"
	"github.com/awsvault/aws-vault/vault/keyring"
)

// agentStartTimeout bounds the wait for a new agent to listen: it checks
// the passphrase (one key derivation) first.
const agentStartTimeout = 15 * time.Second

// startAgent starts this program as the agent, in a session of its own
// (no terminal: it outlives the one unlock ran in), in /, with a few of
// unlock's variables (agentEnviron), standard error to /dev/null,
// and start written to its standard input. It returns when the agent
// listens, with the end of its lifetime.
func startAgent(ctx context.Context, s *session, start agentStart) (time.Time, error) {
	defer clear(start.Passphrase)
	exe, err := s.Executable()
	if err != nil {
		return time.Time{}, fmt.Errorf("starting the agent: %w", err)
	}
	cmd := exec.Command(exe, "agent")
	cmd.Args[0] = "aws-vault"
	cmd.Env = agentEnviron(s.Environ())
	cmd.Dir = "/"
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return time.Time{}, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return time.Time{}, err
	}
	process.CloseOnExecInherited()
	if err := cmd.Start(); err != nil {
		return time.Time{}, fmt.Errorf("starting the agent: %w", err)
	}
	body, err := json.Marshal(start)
	if err == nil {
		_, err = stdin.Write(body)
		clear(body)
	}
	stdin.Close()
	line, waitErr := firstLine(ctx, stdout)
	if err == nil {
		err = waitErr
	}
	if err == nil && line != agentReady {
		err = errors.New(line)
	}
	if err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return time.Time{}, fmt.Errorf("the agent did not start: %w", err)
	}
	_ = cmd.Process.Release()
	return agentUntil(start.Socket)
}

// firstLine reads one line from r, waiting at most agentStartTimeout.
func firstLine(ctx context.Context, r interface{ Read([]byte) (int, error) }) (string, error) {
	got := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		got <- strings.TrimSpace(line)
	}()
	timer := time.NewTimer(agentStartTimeout)
	defer timer.Stop()
	select {
	case line := <-got:
		if line == "" {
			return "", errors.New("it exited without saying why")
		}
		return line, nil
	case <-timer.C:
		return "", fmt.Errorf("it did not listen within %v", agentStartTimeout)
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// agentUntil asks the new agent when its lifetime ends.
func agentUntil(socket string) (time.Time, error) {
	c := &keyring.AgentClient{Socket: socket}
	defer c.Close()
	st, err := c.Status()
	return st.Until, err
}
