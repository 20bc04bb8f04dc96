package vault_test

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/keyring"
	"github.com/awsvault/aws-vault/vault/vaulttest"
)

var reCreated = regexp.MustCompile(`Created new access key (\*{16}\w{4})`)

// TestRotateFailures injects a failure at each step of a rotation and
// checks what the user is left with: AWS holds at most two keys, the
// keyring holds one AWS accepts, and the error names the keys by their
// last four characters.
func TestRotateFailures(t *testing.T) {
	denied := vaulttest.FaultSpec{Status: http.StatusForbidden, Code: "AccessDenied"}
	unavailable := vaulttest.FaultSpec{Status: http.StatusServiceUnavailable}
	for _, tc := range []struct {
		name    string
		profile string
		opts    []vaulttest.Option
		setup   func(e *rotEnv, cancel context.CancelFunc)
		// wantErr are substrings of the error; none means success.
		wantErr    []string
		wantHint   string
		wantStored string // "old" or "new"
		wantAWS    int    // keys AWS holds afterwards
		wantStderr string
		// wantWaited is the retry waits' total, when checked.
		wantWaited time.Duration
	}{{
		name:       "create",
		setup:      func(e *rotEnv, _ context.CancelFunc) { e.aws.Fault("CreateAccessKey", unavailable) },
		wantErr:    []string{"creating a new access key: ", "ServiceUnavailable", "nothing changed: ****************0001 is still stored in profile 'erin' and active"},
		wantStored: "old", wantAWS: 1,
	}, {
		name:       "verify",
		opts:       []vaulttest.Option{vaulttest.WithKeyPropagationDelay(10 * time.Minute)},
		wantErr:    []string{"AWS did not accept the new access key NEW within 30s (", "InvalidClientTokenId", "the new key NEW was deleted again, and the old key ****************0001 is still stored in profile 'erin' and active"},
		wantStored: "old", wantAWS: 1,
	}, {
		name: "verify, then deleting the new key",
		opts: []vaulttest.Option{vaulttest.WithKeyPropagationDelay(10 * time.Minute)},
		setup: func(e *rotEnv, _ context.CancelFunc) {
			e.aws.Fault("DeleteAccessKey", denied)
		},
		wantErr:    []string{"deleting the new key NEW failed too (", "so it is active at AWS but stored nowhere; the old key ****************0001 is still stored in profile 'erin' and active"},
		wantHint:   "delete the unused key: aws iam delete-access-key --user-name erin --access-key-id <the id ending in NEW4>",
		wantStored: "old", wantAWS: 2,
	}, {
		name: "interrupted while waiting for the new key",
		opts: []vaulttest.Option{vaulttest.WithKeyPropagationDelay(10 * time.Minute)},
		setup: func(e *rotEnv, cancel context.CancelFunc) {
			e.onSleep = func(ctx context.Context) error { cancel(); return ctx.Err() }
		},
		wantErr:    []string{"AWS did not accept the new access key NEW yet: context canceled; the new key NEW was deleted again"},
		wantStored: "old", wantAWS: 1,
	}, {
		name:       "store",
		setup:      func(e *rotEnv, _ context.CancelFunc) { e.kr.failSet = func(k string) bool { return k == "erin" } },
		wantErr:    []string{"storing the new access key NEW under profile 'erin': keyring broken; the new key NEW was deleted again, and the old key ****************0001 is still stored"},
		wantStored: "old", wantAWS: 1,
	}, {
		name:    "store with MFA",
		profile: "frank",
		setup:   func(e *rotEnv, _ context.CancelFunc) { e.kr.failSet = func(k string) bool { return k == "frank" } },
		wantErr: []string{"storing the new access key NEW under profile 'frank'", "the new key NEW was deleted again, and the old key ****************0001 is still stored in profile 'frank'"},
		// frank's policy requires MFA: the new key was deleted with the
		// MFA session.
		wantStored: "old", wantAWS: 1,
	}, {
		name: "store reports an error after storing",
		setup: func(e *rotEnv, _ context.CancelFunc) {
			e.kr.failSet = func(k string) bool {
				if k == "erin" {
					_ = e.mem.Set(keyringItemFor(e, k))
				}
				return k == "erin"
			}
		},
		wantStored: "new", wantAWS: 1, wantStderr: "the keyring reported an error (keyring broken) but holds the new key",
	}, {
		name: "purge",
		setup: func(e *rotEnv, _ context.CancelFunc) {
			seedSession(e, "erin")
			e.kr.failRemove = func(k string) bool { return vault.ClassifyKey(k) == vault.KeySession }
		},
		wantStored: "new", wantAWS: 1,
		wantStderr: "aws-vault: warning: could not delete the cached sessions of profile 'erin' (removing cached session",
	}, {
		name:       "delete",
		setup:      func(e *rotEnv, _ context.CancelFunc) { e.aws.Fault("DeleteAccessKey", denied) },
		wantErr:    []string{"deleting the old access key ****************0001 failed: ", "AccessDenied", "; the new key NEW is stored in profile 'erin' and works, but the old key ****************0001 is still active at AWS"},
		wantHint:   "delete the old key yourself: aws iam delete-access-key --user-name erin --access-key-id <the id ending in 0001>",
		wantStored: "new", wantAWS: 2,
	}, {
		name: "delete, retried",
		setup: func(e *rotEnv, _ context.CancelFunc) {
			e.aws.Fault("DeleteAccessKey", vaulttest.FaultSpec{Status: 503, Times: 2})
		},
		wantStored: "new", wantAWS: 1, wantWaited: 4 * time.Second,
	}, {
		name:       "delete, for 20 seconds",
		setup:      func(e *rotEnv, _ context.CancelFunc) { e.aws.Fault("DeleteAccessKey", unavailable) },
		wantErr:    []string{"deleting the old access key ****************0001 failed after 11 attempts: ", "the old key ****************0001 is still active at AWS"},
		wantStored: "new", wantAWS: 2, wantWaited: 20 * time.Second,
	}, {
		name: "old key already deleted",
		setup: func(e *rotEnv, _ context.CancelFunc) {
			e.aws.Fault("DeleteAccessKey", vaulttest.FaultSpec{Status: 404, Code: "NoSuchEntity"})
		},
		wantStored: "new", wantAWS: 2, wantStderr: "AWS no longer has the old access key ****************0001",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			profile := tc.profile
			if profile == "" {
				profile = "erin"
			}
			e := newRotEnv(t, tc.opts...)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tc.setup != nil {
				tc.setup(e, cancel)
			}
			err := e.rotate(ctx, profile, profile == "erin")
			e.aws.ClearFaults()
			checkRotateError(t, e, err, tc.wantErr, tc.wantHint)
			if !strings.Contains(e.stderr.String(), tc.wantStderr) {
				t.Errorf("stderr %q lacks %q", e.stderr.String(), tc.wantStderr)
			}
			checkLeftWith(t, e, profile, tc.wantStored, tc.wantAWS)
			var waited time.Duration
			for _, d := range e.sleeps {
				waited += d
			}
			if tc.wantWaited != 0 && waited != tc.wantWaited {
				t.Errorf("waited %s (%v), want %s", waited, e.sleeps, tc.wantWaited)
			}
		})
	}
}

// checkRotateError matches err against substrings in which NEW stands for
// the new key as displayed and NEW4 for its last four characters.
func checkRotateError(t *testing.T, e *rotEnv, err error, want []string, wantHint string) {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("no error; stdout:\n%s", e.stdout.String())
	}
	newKey := "(no new key)"
	if m := reCreated.FindStringSubmatch(e.stdout.String()); m != nil {
		newKey = m[1]
	}
	expand := strings.NewReplacer("NEW4", newKey[len(newKey)-4:], "NEW", newKey)
	for _, w := range want {
		if w = expand.Replace(w); !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q:\n%v", w, err)
		}
	}
	var hinted *vault.HintedError
	if wantHint != "" && (!errors.As(err, &hinted) || !strings.Contains(hinted.Hint, expand.Replace(wantHint))) {
		t.Errorf("hint of %v: want %q", err, expand.Replace(wantHint))
	}
	if strings.Contains(err.Error(), "AKIA") {
		t.Errorf("error shows a whole key id: %v", err)
	}
}

// checkLeftWith checks the rotation's invariant and which key is stored.
func checkLeftWith(t *testing.T, e *rotEnv, profile, wantStored string, wantAWS int) {
	t.Helper()
	stored := e.checkSafe(profile, profile)
	isOld := stored.AccessKeyID == map[string]string{"erin": vaulttest.ErinAccessKeyID, "frank": vaulttest.FrankAccessKeyID}[profile]
	if isOld != (wantStored == "old") {
		t.Errorf("stored key %s, want the %s one", stored.AccessKeyID, wantStored)
	}
	if n := len(e.awsKeys(profile)); n != wantAWS {
		t.Errorf("AWS holds %d keys, want %d", n, wantAWS)
	}
}

// keyringItemFor is the item Rotate stores: the newest key AWS has.
func keyringItemFor(e *rotEnv, profile string) keyring.Item {
	keys := e.aws.AccessKeys(profile)
	k := keys[len(keys)-1]
	mem := vaulttest.NewMemKeyring()
	ck := &vault.Store{Keyring: mem}
	if err := ck.SetCredentials(profile, credsOf(k)); err != nil {
		e.t.Fatal(err)
	}
	item, _ := mem.Get(profile)
	return item
}

// seedSession caches a session for profile.
func seedSession(e *rotEnv, profile string) {
	sk := &vault.Store{Keyring: e.mem, Now: e.clock.Now}
	key := vault.SessionKey{Type: vault.KindSessionToken, ProfileName: profile}
	creds := credsOf(vaulttest.AccessKey{AccessKeyID: "ASIAFAKE", SecretAccessKey: "x"})
	creds.SessionToken, creds.Expires = "t", e.clock.Now().Add(time.Hour)
	if err := sk.StoreSession(key, creds, ""); err != nil {
		e.t.Fatal(err)
	}
}
