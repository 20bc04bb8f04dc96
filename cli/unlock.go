package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/awsvault/aws-vault/vault/keyring"
)

type unlockOptions struct {
	For    time.Duration
	Status bool
}

// defaultUnlock is how long unlock keeps the file keyring open: a working
// day.
const defaultUnlock = 8 * time.Hour

func configureUnlock(a *App) {
	opts := &unlockOptions{}
	cmd := a.kp.Command("unlock", "Unlock the file keyring for a while: commands need no passphrase meanwhile.").HelpLong(`
Asks for the file backend's passphrase once, checks it against the stored
items, and starts an agent of this user's that holds it until the time is
up (or refreshes the running one). Meanwhile every aws-vault of this user
gets its items from the agent: no prompt, no passphrase in the environment.
One agent serves one keyring directory (--file-dir).

Examples:
  aws-vault unlock --for 2h
  aws-vault unlock --status`)
	cmd.Flag("for", "Stay unlocked this long, from 1m to 24h.").Default(defaultUnlock.String()).
		PlaceHolder("DURATION").DurationVar(&opts.For)
	cmd.Flag("status", "Print whether the file keyring is unlocked and until when; exit 1 when it is locked.").BoolVar(&opts.Status)
	a.register(cmd, func(ctx context.Context) error { return runUnlock(ctx, a.s, opts) })
}

func configureLock(a *App) {
	cmd := a.kp.Command("lock", "Lock the file keyring again at once: end the agent unlock started.").HelpLong(`
Ends the agent aws-vault unlock started for the keyring directory
(--file-dir); commands ask for the passphrase again. Locking a keyring that
is not unlocked does nothing.

Examples:
  aws-vault lock`)
	a.register(cmd, func(ctx context.Context) error { return runLock(ctx, a.s) })
}

// runUnlock checks the passphrase, then refreshes the running agent or
// starts one.
func runUnlock(ctx context.Context, s *session, opts *unlockOptions) error {
	dir, socket, err := s.agentSocket()
	if err != nil {
		return err
	}
	if opts.Status {
		return unlockStatus(s, socket)
	}
	if err := s.checkUnlockFor(opts.For); err != nil {
		return err
	}
	if b := s.flags.Backend; b != "" && b != keyring.FileBackend {
		return fmt.Errorf("unlock serves the file backend, not --backend %s", b)
	}
	pw, err := s.filePassphrase(ctx, dir)()
	if errors.Is(err, errNoPassphraseSource) {
		return fmt.Errorf("unlock asks for the passphrase of %s on a terminal; run it from one, or set %s", dir, filePassphraseVar)
	}
	if err != nil {
		return err
	}
	check := &keyring.File{Dir: dir, Passphrase: func() (string, error) { return pw, nil }}
	if err := check.CheckPassphrase(""); err != nil {
		return fmt.Errorf("%w; the keyring stays locked", err)
	}
	c := &keyring.AgentClient{Socket: socket}
	defer c.Close()
	until, err := c.Refresh(opts.For, pw)
	if errors.Is(err, keyring.ErrAgentUnreachable) {
		s.log.Printf("starting an agent for %s on %s", dir, socket)
		// The agent runs in /: a relative directory is this one's.
		var abs string
		if abs, err = filepath.Abs(dir); err != nil {
			return fmt.Errorf("file keyring directory %s: %w", dir, err)
		}
		until, err = startAgent(ctx, s, agentStart{Dir: abs, Socket: socket, Seconds: int64(opts.For / time.Second), Passphrase: []byte(pw)})
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(s.Stderr, "Unlocked %s until %s.\n", dir, until.Format(time.RFC3339))
	return nil
}

// checkUnlockFor checks --for against the agent's bounds.
func (s *session) checkUnlockFor(d time.Duration) error {
	least := keyring.MinAgentLifetime
	if s.MinUnlock > 0 {
		least = s.MinUnlock
	}
	if d < least || d > keyring.MaxAgentLifetime {
		return fmt.Errorf("--for %v: unlock for at least %s and at most %s", d, shortDuration(least), shortDuration(keyring.MaxAgentLifetime))
	}
	return nil
}

// unlockStatus prints "unlocked until <time>" or "locked" (exit 1).
func unlockStatus(s *session, socket string) error {
	c := &keyring.AgentClient{Socket: socket, Timeout: agentCommandTimeout}
	defer c.Close()
	st, err := c.Status()
	if errors.Is(err, keyring.ErrAgentSilent) {
		return silentAgent(socket)
	}
	if errors.Is(err, keyring.ErrAgentUnreachable) {
		s.log.Printf("%v", err)
		fmt.Fprintln(s.Stdout, "locked")
		return ExitStatusError{Status: 1}
	}
	if err != nil {
		return err
	}
	s.log.Printf("agent pid %d serves %s", st.PID, st.Dir)
	fmt.Fprintf(s.Stdout, "unlocked until %s\n", st.Until.Format(time.RFC3339))
	return nil
}

// agentCommandTimeout bounds lock's and unlock --status's request: a
// running agent answers them at once.
const agentCommandTimeout = 3 * time.Second

// silentAgent is lock's and unlock --status's error for an agent that
// takes the connection but does not answer (a stopped process): it is not
// serving, yet it may still hold the keyring open, so neither "locked"
// nor "not unlocked" would be true.
func silentAgent(socket string) error {
	return fmt.Errorf("the keyring agent on %s does not answer (is it stopped?): it cannot be told to lock; it ends when its time is up, or end it with kill", socket)
}

// runLock stops the agent of the keyring directory, if one runs.
func runLock(_ context.Context, s *session) error {
	dir, socket, err := s.agentSocket()
	if err != nil {
		return err
	}
	c := &keyring.AgentClient{Socket: socket, Timeout: agentCommandTimeout}
	defer c.Close()
	err = c.Stop()
	if errors.Is(err, keyring.ErrAgentSilent) {
		return silentAgent(socket)
	}
	if errors.Is(err, keyring.ErrAgentUnreachable) {
		s.log.Printf("%v", err)
		fmt.Fprintf(s.Stderr, "%s was not unlocked.\n", dir)
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(s.Stderr, "Locked %s.\n", dir)
	return nil
}

// agentSocket returns the file keyring directory and the socket of its
// agent, or why this platform has none.
func (s *session) agentSocket() (dir, socket string, err error) {
	if !keyring.AgentOffered {
		return "", "", errors.New("unlock and lock are not offered on this platform, which cannot tell who connects to an agent; use AWS_VAULT_FILE_PASSPHRASE")
	}
	dir, err = s.fileDir()
	if err != nil {
		return "", "", err
	}
	home, err := s.HomeDir()
	runtimeDir := s.Getenv("XDG_RUNTIME_DIR")
	if err != nil && runtimeDir == "" {
		return "", "", fmt.Errorf("finding the agent's directory: %w", err)
	}
	socket, err = keyring.AgentSocket(keyring.AgentDir(runtimeDir, home), dir)
	return dir, socket, err
}

// shortDuration prints whole hours, minutes or seconds as "24h", "1m", "1s".
func shortDuration(d time.Duration) string {
	for _, u := range []struct {
		unit time.Duration
		name string
	}{{time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}} {
		if d >= u.unit && d%u.unit == 0 {
			return fmt.Sprintf("%d%s", d/u.unit, u.name)
		}
	}
	return d.String()
}
