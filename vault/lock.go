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

	"github.com/awsvault/aws-vault/internal/regularfile"
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
//
// Another local user must not be able to steer these files: Dir must
// belong to us and be writable by us only, and lock files are opened
// without following symbolic links, so a link planted there cannot make
// a lock write land on another file.
type Locker struct {
	Dir     string
	Timeout time.Duration
	// Waiting is told once per wait, e.g. to print a line on stderr.
	Waiting func(profile string, pid int)
	// Doing says what a holder does, for the timeout error ("getting
	// credentials for" when empty); the lock's profile argument follows.
	Doing string
}

// Lock takes the lock called name (a session-cache key prefix), waiting
// for another holder at most Timeout.
func (l *Locker) Lock(ctx context.Context, name, profile string) (func(), error) {
	if err := l.PrepareDir(); err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(name))
	f, err := openLockFile(filepath.Join(l.Dir, hex.EncodeToString(sum[:12])+".lock"))
	if err != nil {
		return nil, err
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
			return fmt.Errorf("waited %s for another aws-vault (pid %d) %s %s; set AWS_VAULT_LOCK_TIMEOUT to wait longer", l.timeout(), pid, l.doing(), profile)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(lockPoll):
		}
	}
}

func (l *Locker) doing() string {
	if l.Doing != "" {
		return l.Doing
	}
	return "getting credentials for"
}

// PrepareDir creates Dir (and missing parents) 0700 and refuses it unless
// it is a directory of ours that no one else may write to.
func (l *Locker) PrepareDir() error {
	if err := os.MkdirAll(l.Dir, 0o700); err != nil {
		return fmt.Errorf("lock directory: %w", err)
	}
	st, err := os.Stat(l.Dir)
	if err != nil {
		return fmt.Errorf("lock directory: %w", err)
	}
	if !st.IsDir() {
		return fmt.Errorf("lock directory %s is not a directory", l.Dir)
	}
	return checkPrivateDir(l.Dir, st)
}

// openLockFile opens (creating it 0600) a lock file, never through a
// symbolic link, and only if it is a regular file.
func openLockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|regularfile.NoFollow, 0o600)
	if err != nil {
		if regularfile.IsSymlinkError(err) {
			return nil, fmt.Errorf("lock file %s is a symbolic link; aws-vault does not follow links there (remove it)", path)
		}
		return nil, fmt.Errorf("lock file: %w", err)
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("lock file %s is not a regular file (remove it)", path)
	}
	return f, nil
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
