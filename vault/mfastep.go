package vault

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/awsvault/aws-vault/internal/atomicfile"
	"github.com/awsvault/aws-vault/internal/regularfile"
)

// totpStep is the time step of AWS's TOTP devices.
const totpStep = 30 * time.Second

// MFAStepGuard makes sure a one-time code is never sent to AWS twice, even
// by different aws-vault processes: it remembers, per MFA serial, the last
// 30-second step whose code was used (never the code), and when another
// code is needed within that step it waits for the next one, saying why.
// AWS refuses a code it has already seen, so sending it again only fails.
type MFAStepGuard struct {
	Locker *Locker
	Now    func() time.Time
	// Sleep waits d or until ctx ends.
	Sleep func(ctx context.Context, d time.Duration) error
	// Notify tells the user why they wait.
	Notify func(msg string)
}

// Wrap guards src.
func (g *MFAStepGuard) Wrap(src MFATokenSource) MFATokenSource {
	return MFATokenFunc(func(ctx context.Context, req MFARequest) (string, error) {
		return g.token(ctx, src, req)
	})
}

func (g *MFAStepGuard) token(ctx context.Context, src MFATokenSource, req MFARequest) (string, error) {
	unlock, err := g.Locker.Lock(ctx, "mfa-step,"+req.Serial, req.ProfileName)
	if err != nil {
		return "", err
	}
	defer unlock()
	path := g.stepFile(req.Serial)
	last, err := readStep(path)
	if err != nil {
		return "", err
	}
	if wait := g.untilAfter(last); wait > 0 {
		g.Notify(fmt.Sprintf("the MFA code for %s in this 30-second window was already used; waiting %s for the next code",
			req.Serial, wait.Round(time.Second)))
		if err := g.Sleep(ctx, wait); err != nil {
			return "", err
		}
	}
	code, err := src.MFAToken(ctx, req)
	if err != nil {
		return "", err
	}
	g.record(path, max(stepOf(g.Now()), last+1))
	return code, nil
}

// untilAfter is how long until the step after last begins (0 if it has).
func (g *MFAStepGuard) untilAfter(last int64) time.Duration {
	next := time.Unix((last+1)*int64(totpStep/time.Second), 0)
	if d := next.Sub(g.Now()); d > 0 {
		return d
	}
	return 0
}

// RecordUsed notes that a code for serial was used now (--mfa-token).
func (g *MFAStepGuard) RecordUsed(serial string) error {
	if err := g.Locker.PrepareDir(); err != nil {
		return err
	}
	g.record(g.stepFile(serial), stepOf(g.Now()))
	return nil
}

// record writes the step whose code was used. The code is already in hand
// by then, so a failure does not stop this call; the user is told, as the
// next call may then send the same code and be refused by AWS.
func (g *MFAStepGuard) record(path string, step int64) {
	if err := atomicfile.Replace(path, []byte(strconv.FormatInt(step, 10)), 0o600); err != nil {
		g.Notify(fmt.Sprintf("could not record the MFA step used in %s (%v): another aws-vault may reuse this code within 30 seconds", path, err))
	}
}

func (g *MFAStepGuard) stepFile(serial string) string {
	return filepath.Join(g.Locker.Dir, "mfa-"+b64.EncodeToString([]byte(serial))+".step")
}

func stepOf(t time.Time) int64 { return t.Unix() / int64(totpStep/time.Second) }

// readStep returns the recorded step, or 0 when none is recorded. A file
// that cannot be read is an error: without it the guard cannot work. It
// is read without following a symbolic link and only if it is a regular
// file (the directory is ours, but a FIFO there must not hang us).
func readStep(path string) (int64, error) {
	f, err := regularfile.Open(path, true)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("MFA step file: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 32))
	if err != nil {
		return 0, fmt.Errorf("reading MFA step file %s: %w", path, err)
	}
	n, _ := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	return n, nil
}

// SleepContext waits d or until ctx ends.
func SleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
