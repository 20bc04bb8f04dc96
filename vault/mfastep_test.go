package vault_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/awsvault/aws-vault/vault"
)

// A second code within the 30-second step of a used one is asked for only
// after the step ends, and the user is told why; another device is not
// held up.
func TestMFAStepGuardWaitsForNextCode(t *testing.T) {
	now := time.Unix(1_800_000_010, 0) // 10 s into a step
	var slept time.Duration
	var notes []string
	g := &vault.MFAStepGuard{
		Locker: &vault.Locker{Dir: t.TempDir()},
		Now:    func() time.Time { return now },
		Sleep: func(_ context.Context, d time.Duration) error {
			slept += d
			now = now.Add(d)
			return nil
		},
		Notify: func(m string) { notes = append(notes, m) },
	}
	asked := 0
	src := g.Wrap(vault.MFATokenFunc(func(context.Context, vault.MFARequest) (string, error) {
		asked++
		return "123456", nil
	}))
	req := vault.MFARequest{ProfileName: "p", Serial: "arn:aws:iam::1:mfa/a"}
	for i := 0; i < 2; i++ {
		if _, err := src.MFAToken(context.Background(), req); err != nil {
			t.Fatal(err)
		}
	}
	if asked != 2 || slept != 20*time.Second {
		t.Errorf("asked %d times, slept %s; want 2 and 20s", asked, slept)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "already used; waiting 20s for the next code") {
		t.Errorf("notes %q", notes)
	}
	if _, err := src.MFAToken(context.Background(), vault.MFARequest{Serial: "arn:aws:iam::1:mfa/b"}); err != nil || slept != 20*time.Second {
		t.Errorf("another device waited: slept %s, %v", slept, err)
	}
	if err := g.RecordUsed(req.Serial); err != nil { // --mfa-token used now, in the step after
		t.Fatal(err)
	}
	if _, err := src.MFAToken(context.Background(), req); err != nil || slept != 50*time.Second {
		t.Errorf("after --mfa-token: slept %s in all, want 50s", slept)
	}
}
