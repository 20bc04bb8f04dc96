package vault

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsvault/aws-vault/internal/procinfo"
)

// DefaultAuditLogMaxSize is the size past which the issuance log is
// rotated to <path>.1.
const DefaultAuditLogMaxSize = 10 << 20

// AuditLogVar names the issuance log's file, or "off".
const AuditLogVar = "AWS_VAULT_AUDIT_LOG"

// KindFederationToken is the step of a console login that exchanges an
// IAM user's key for a federation token.
const KindFederationToken = "sts.GetFederationToken"

// AuditLog is the issuance log: one JSON line (an [Issuance]) each time
// aws-vault hands out credentials. Every line is one write(2) to a file
// opened with O_APPEND, so concurrent aws-vault processes never interleave
// their lines; the file is created 0600 and rotated to Path+".1" once it
// is MaxSize long. It holds no secret: of the access key id only the last
// four characters.
//
// Writing it must never cost a credential: Record reports a failure
// through Warn, once per process, and returns nothing. A nil *AuditLog (the
// log is off) records nothing.
type AuditLog struct {
	Path string
	// MaxSize is the rotation size (DefaultAuditLogMaxSize when 0).
	MaxSize int64
	// Version is aws-vault's, written on every line.
	Version string
	Now     func() time.Time
	// Lock serialises rotation across processes (Locker.Lock); nil
	// rotates unserialised.
	Lock func(ctx context.Context, name, what string) (func(), error)
	// Warn is told why a line could not be written, at most once.
	Warn func(err error)

	warned atomic.Bool
}

// Process describes a process that asked for credentials.
type Process = procinfo.Process

// Issuance is one line of the issuance log.
type Issuance struct {
	Time    time.Time `json:"time"` // UTC
	Version string    `json:"version"`
	// Command is the command that handed the credentials out: exec,
	// export, login, or a server's ("exec --ecs-server").
	Command string `json:"command"`
	// Output is the form they took: "env" (exec's child), export's
	// format, "json" (exec --json), "url" or "browser" (login).
	Output  string `json:"output,omitempty"`
	Profile string `json:"profile"`
	Steps   []Step `json:"steps"`
	// Expires is when the credentials handed out expire (absent for a
	// long-term key).
	Expires time.Time `json:"expires,omitzero"`
	// KeyIDLast4 is the end of the access key id handed out.
	KeyIDLast4 string `json:"key_id_last4"`
	// Caller is aws-vault's parent process, CallerParent its parent
	// (terraform -> aws -> aws-vault reads as Caller aws, CallerParent
	// terraform). Dir is aws-vault's working directory.
	Caller       Process `json:"caller"`
	CallerParent Process `json:"caller_parent"`
	Dir          string  `json:"cwd,omitempty"`
}

// Handout is what a command knows of one hand-out of credentials; Record
// adds the time, the version, the calling processes and the directory.
type Handout struct {
	Command, Output, Profile string
	Steps                    []Step
	Creds                    aws.Credentials
}

// Record appends the line of one hand-out. It never fails the caller: a
// failure is told to Warn.
func (l *AuditLog) Record(h Handout) {
	if l == nil {
		return
	}
	if err := l.write(l.issuance(h)); err != nil {
		l.warn(err)
	}
}

// issuance completes h into a line.
func (l *AuditLog) issuance(h Handout) Issuance {
	now := time.Now
	if l.Now != nil {
		now = l.Now
	}
	id := h.Creds.AccessKeyID
	rec := Issuance{
		Time: now().UTC(), Version: l.Version, Command: h.Command, Output: h.Output, Profile: h.Profile,
		Steps: h.Steps, KeyIDLast4: id[max(0, len(id)-4):],
	}
	if rec.Steps == nil {
		rec.Steps = []Step{}
	}
	if h.Creds.CanExpire {
		rec.Expires = h.Creds.Expires.UTC()
	}
	rec.Caller, rec.CallerParent = procinfo.Callers()
	rec.Dir, _ = os.Getwd()
	return rec
}

func (l *AuditLog) warn(err error) {
	if l.Warn != nil && l.warned.CompareAndSwap(false, true) {
		l.Warn(fmt.Errorf("issuance log %s: %w", l.Path, err))
	}
}

// write appends rec as one line, in one write.
func (l *AuditLog) write(rec Issuance) error {
	line, err := appendIssuance(make([]byte, 0, 512), &rec)
	if err != nil {
		return err
	}
	line = append(line, '\n')
	f, size, err := l.open()
	if err != nil {
		return err
	}
	var rotateErr error
	if size >= l.maxSize() {
		f.Close()
		rotateErr = l.rotate()
		if f, _, err = l.open(); err != nil {
			return err
		}
	}
	defer f.Close()
	if _, err := f.Write(line); err != nil {
		return err
	}
	return rotateErr
}

// open opens the log for appending, creating it (and its directory, 0700)
// when missing, and returns its size. It refuses anything but a regular
// file, without waiting on a named pipe, and makes the file 0600.
func (l *AuditLog) open() (*os.File, int64, error) {
	const flags = os.O_WRONLY | os.O_APPEND | os.O_CREATE | nonBlock
	f, err := os.OpenFile(l.Path, flags, 0o600)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(filepath.Dir(l.Path), 0o700); err != nil {
			return nil, 0, err
		}
		f, err = os.OpenFile(l.Path, flags, 0o600)
	}
	if err != nil {
		return nil, 0, err
	}
	st, err := f.Stat()
	if err == nil && !st.Mode().IsRegular() {
		err = fmt.Errorf("it is not a regular file")
	}
	if err == nil && st.Mode().Perm() != 0o600 {
		err = f.Chmod(0o600)
	}
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, st.Size(), nil
}

// rotate renames the log to Path+".1", replacing the one before, under the
// lock: of several processes that found it full, one renames it, and the
// others find a new, short log. A process that opened the old file just
// before the rename writes its line there, in Path+".1": no line is lost.
func (l *AuditLog) rotate() error {
	if l.Lock != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		unlock, err := l.Lock(ctx, "audit-log "+l.Path, "the issuance log")
		cancel()
		if err != nil {
			return fmt.Errorf("not rotated: %w", err)
		}
		defer unlock()
	}
	st, err := os.Stat(l.Path)
	if err != nil || st.Size() < l.maxSize() {
		return nil // another process rotated it
	}
	if err := os.Rename(l.Path, l.Path+".1"); err != nil {
		return fmt.Errorf("not rotated: %w", err)
	}
	return nil
}

func (l *AuditLog) maxSize() int64 {
	if l.MaxSize > 0 {
		return l.MaxSize
	}
	return DefaultAuditLogMaxSize
}

// ServedOnce is for a credential server: it returns a provider that
// answers as src does and records, as h says (Command, Output, Profile),
// the first answer it gives with each credential. Steps are the chain's,
// for the credentials it fetched last (Chain.StepsOf); chain may be nil
// when src is not backed by one.
func (l *AuditLog) ServedOnce(h Handout, chain *Chain, src aws.CredentialsProvider) aws.CredentialsProvider {
	if l == nil {
		return src
	}
	return &servedOnce{log: l, h: h, chain: chain, src: src, seen: map[string]bool{}}
}

// servedOnce is the provider ServedOnce returns.
type servedOnce struct {
	log   *AuditLog
	h     Handout
	chain *Chain
	src   aws.CredentialsProvider

	mu   sync.Mutex
	seen map[string]bool // access key ids answered with
}

// maxServedSeen bounds servedOnce's memory of the keys it answered with:
// past it, they are all forgotten (at worst a line is written twice).
const maxServedSeen = 64

func (s *servedOnce) Retrieve(ctx context.Context) (aws.Credentials, error) {
	creds, err := s.src.Retrieve(ctx)
	if err != nil {
		return creds, err
	}
	s.mu.Lock()
	first := !s.seen[creds.AccessKeyID]
	if first {
		if len(s.seen) >= maxServedSeen {
			clear(s.seen)
		}
		s.seen[creds.AccessKeyID] = true
	}
	s.mu.Unlock()
	if first {
		h := s.h
		h.Creds = creds
		if s.chain != nil {
			h.Steps = s.chain.StepsOf(creds)
		}
		s.log.Record(h)
	}
	return creds, nil
}
