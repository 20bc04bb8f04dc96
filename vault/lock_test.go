//go:build unix

package vault_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awsvault/aws-vault/vault"
)

// A lock directory another user could write to is refused with a line
// naming it, and nothing is created in it.
func TestLockerRefusesUnsafeDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "locks")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	l := &vault.Locker{Dir: dir}
	err := tryLock(l, "sts.GetSessionToken,YQ,")
	if want := "lock directory " + dir + " is writable by others (mode 0777); run: chmod 700 " + dir; errText(err) != want {
		t.Errorf("world-writable: %v\nwant %s", err, want)
	}
	if err := os.Chmod(dir, 0o720); err != nil {
		t.Fatal(err)
	}
	if err := tryLock(l, "x"); !strings.Contains(errText(err), "is writable by others (mode 0720)") {
		t.Errorf("group-writable: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files created in the refused directory: %v", entries)
	}
	if os.Geteuid() != 0 {
		return // only root can give a directory away
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(dir, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	if err := tryLock(l, "x"); !strings.Contains(errText(err), "lock directory "+dir+" belongs to uid 65534, not to you (uid 0)") {
		t.Errorf("owned by another user: %v", err)
	}
}

// New directories are made 0700, missing parents included.
func TestLockerCreatesPrivateDirs(t *testing.T) {
	base := t.TempDir()
	l := &vault.Locker{Dir: filepath.Join(base, ".awsvault", "locks")}
	unlock, err := l.Lock(context.Background(), "x", "a")
	if err != nil {
		t.Fatal(err)
	}
	unlock()
	for _, d := range []string{filepath.Join(base, ".awsvault"), l.Dir} {
		if st, err := os.Stat(d); err != nil || st.Mode().Perm() != 0o700 {
			t.Errorf("%s: %v %v, want mode 0700", d, st.Mode(), err)
		}
	}
}

// A symbolic link planted where a lock file or an MFA step file goes is
// never followed: the file it points to keeps its contents.
func TestLockerDoesNotFollowSymlinks(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(t.TempDir(), "precious")
	if err := os.WriteFile(target, []byte("keep me\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const name = "sts.GetSessionToken,YQ,"
	sum := sha256.Sum256([]byte(name))
	lockPath := filepath.Join(dir, hex.EncodeToString(sum[:12])+".lock")
	if err := os.Symlink(target, lockPath); err != nil {
		t.Fatal(err)
	}
	l := &vault.Locker{Dir: dir}
	err := tryLock(l, name)
	if want := "lock file " + lockPath + " is a symbolic link; aws-vault does not follow links there (remove it)"; errText(err) != want {
		t.Errorf("lock through a link: %v\nwant %s", err, want)
	}

	const serial = "arn:aws:iam::1:mfa/a"
	stepPath := filepath.Join(dir, "mfa-"+base64.URLEncoding.WithPadding(base64.NoPadding).EncodeToString([]byte(serial))+".step")
	if err := os.Symlink(target, stepPath); err != nil {
		t.Fatal(err)
	}
	var notes []string
	g := &vault.MFAStepGuard{Locker: l, Now: time.Now, Sleep: vault.SleepContext, Notify: func(m string) { notes = append(notes, m) }}
	src := g.Wrap(vault.MFATokenFunc(func(context.Context, vault.MFARequest) (string, error) { return "123456", nil }))
	_, err = src.MFAToken(context.Background(), vault.MFARequest{ProfileName: "a", Serial: serial})
	if want := "MFA step file: " + stepPath + " is a symbolic link, not a regular file"; errText(err) != want {
		t.Errorf("step file through a link: %v\nwant %s", err, want)
	}
	if err := g.RecordUsed(serial); err != nil || len(notes) != 0 {
		t.Errorf("RecordUsed: %v, notes %q", err, notes)
	}
	if st, err := os.Lstat(stepPath); err != nil || !st.Mode().IsRegular() {
		t.Errorf("the link was not replaced by a file: %v %v", st.Mode(), err)
	}
	if b, _ := os.ReadFile(target); string(b) != "keep me\n" {
		t.Errorf("the link's target was written: %q", b)
	}
}

// tryLock takes and releases a lock, returning the error of taking it.
func tryLock(l *vault.Locker, name string) error {
	unlock, err := l.Lock(context.Background(), name, "a")
	if err == nil {
		unlock()
	}
	return err
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
