package vault

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// DefaultLockTimeout is how long a caller waits for another aws-vault
// getting the same credentials: long enough to find an MFA device.
const DefaultLockTimeout = 5 * time.Minute

// lockPoll is how often a waiter retries the lock.
const lockPoll = 25 * time.Millisecond

// Locker serialises fetching one credential across processes, so that
// concurrent callers make one STS call and one MFA prompt, then read the
// cache. Locks are advisory file locks in Dir (created 0700): the kernel
// drops them when their holder exits, so a crashed holder never blocks
// anyone. The files hold the holder's pid, never a secret.
type Locker struct {
	Dir     string
	Timeout time.Duration
	// Waiting is told once per wait, e.g. to print a line on stderr.
	Waiting func(profile string, pid int)
}

// Lock takes the lock called name (a session-cache key prefix), waiting
// for another holder at most Timeout.
func (l *Locker) Lock(ctx context.Context, name, profile string) (func(), error) {
	if err := os.MkdirAll(l.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("lock directory: %w", err)
	}
	sum := sha256.Sum256([]byte(name))
	f, err := os.OpenFile(filepath.Join(l.Dir, hex.EncodeToString(sum[:12])+".lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock file: %w", err)
	}
	if err := l.acquire(ctx, f, profile); err != nil {
		f.Close()
		return nil, err
	}
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())), 0)
	return func() { unlockFile(f); f.Close() }, nil
}

func (l *Locker) acquire(ctx context.Context, f *os.File, profile string) error {
	deadline := time.Now().Add(l.timeout())
	told := false
	for {
		err := tryLockFile(f)
		if err == nil {
			return nil
		}
		if !errors.Is(err, errLocked) {
			return fmt.Errorf("locking %s: %w", f.Name(), err)
		}
		pid := holderPID(f)
		if !told && l.Waiting != nil {
			l.Waiting(profile, pid)
			told = true
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("waited %s for another aws-vault (pid %d) getting credentials for %s; set AWS_VAULT_LOCK_TIMEOUT to wait longer", l.timeout(), pid, profile)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(lockPoll):
		}
	}
}

func (l *Locker) timeout() time.Duration {
	if l.Timeout > 0 {
		return l.Timeout
	}
	return DefaultLockTimeout
}

// holderPID reads the pid the holder wrote, or 0.
func holderPID(f *os.File) int {
	b, err := io.ReadAll(io.NewSectionReader(f, 0, 32))
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return pid
}
