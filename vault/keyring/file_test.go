//go:build unix

package keyring_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/awsvault/aws-vault/vault/keyring"
)

func newFile(t *testing.T, dir, pw string) *keyring.File {
	t.Helper()
	return &keyring.File{Dir: dir, Now: time.Now, Passphrase: func() (string, error) { return pw, nil }}
}

// A symbolic link planted at an item's path is replaced by the write, and
// what it pointed to is left as it was.
func TestFileSetDoesNotFollowSymlink(t *testing.T) {
	dir, outside := t.TempDir(), filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(outside, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "planted")); err != nil {
		t.Fatal(err)
	}
	k := newFile(t, dir, "pw")
	if err := k.Set(keyring.Item{Key: "planted", Data: []byte("secret")}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(outside); string(got) != "keep me" {
		t.Fatalf("the link's target was written: %q", got)
	}
	st, err := os.Lstat(filepath.Join(dir, "planted"))
	if err != nil || !st.Mode().IsRegular() || st.Mode().Perm() != 0o600 {
		t.Fatalf("item is %v (%v), want a regular 0600 file", st.Mode(), err)
	}
	item, err := newFile(t, dir, "pw").Get("planted")
	if err != nil || string(item.Data) != "secret" {
		t.Fatalf("Get = %q, %v", item.Data, err)
	}
}

// A named pipe planted as an item is refused at once, not waited on.
func TestFileGetRefusesFIFO(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := newFile(t, dir, "pw").Get("fifo"); done <- err }()
	select {
	case err := <-done:
		if err == nil || errors.Is(err, keyring.ErrKeyNotFound) {
			t.Fatalf("Get of a FIFO = %v, want a refusal", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Get of a FIFO blocked")
	}
}

// Keys lists every item, those whose names start with "." or hold ".tmp-"
// included; only the backend's own temporary files are skipped.
func TestFileKeysShowsDotNames(t *testing.T) {
	dir := t.TempDir()
	k := newFile(t, dir, "pw")
	names := []string{".hidden", ".x.tmp-123", "a.tmp-b", "plain"}
	for _, n := range names {
		if err := k.Set(keyring.Item{Key: n, Data: []byte("d")}); err != nil {
			t.Fatal(err)
		}
	}
	tmp, err := os.CreateTemp(dir, ".%aws-vault-tmp-*")
	if err != nil {
		t.Fatal(err)
	}
	tmp.Close()
	keys, err := k.Keys()
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(keys)
	if !slices.Equal(keys, names) {
		t.Fatalf("Keys = %q, want %q", keys, names)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(names)+1 {
		t.Fatalf("%d files in the directory, want %d items and the planted temporary file", len(entries), len(names))
	}
}

// A wrong passphrase does not store a second kind of item.
func TestFileSetChecksPassphrase(t *testing.T) {
	dir := t.TempDir()
	if err := newFile(t, dir, "right").Set(keyring.Item{Key: "a", Data: []byte("d")}); err != nil {
		t.Fatal(err)
	}
	err := newFile(t, dir, "wrong").Set(keyring.Item{Key: "b", Data: []byte("d")})
	if err == nil {
		t.Fatal("a wrong passphrase stored an item")
	}
	if _, err := os.Stat(filepath.Join(dir, "b")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("item b exists: %v", err)
	}
}
