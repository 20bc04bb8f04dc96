package vault

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
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
	last := readStep(path)
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
	_ = WriteFileAtomic(path, []byte(strconv.FormatInt(max(stepOf(g.Now()), last+1), 10)), 0o600)
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
func (g *MFAStepGuard) RecordUsed(serial string) {
	_ = os.MkdirAll(g.Locker.Dir, 0o700)
	_ = WriteFileAtomic(g.stepFile(serial), []byte(strconv.FormatInt(stepOf(g.Now()), 10)), 0o600)
}

func (g *MFAStepGuard) stepFile(serial string) string {
	return filepath.Join(g.Locker.Dir, "mfa-"+b64.EncodeToString([]byte(serial))+".step")
}

func stepOf(t time.Time) int64 { return t.Unix() / int64(totpStep/time.Second) }

// readStep returns the recorded step, or 0.
func readStep(path string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	n, _ := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	return n
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
