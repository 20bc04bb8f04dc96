package keyring

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Created reads an item's write time from its clear header, without the
// passphrase; a missing item and a non-JWE file are errors.
func TestFileCreated(t *testing.T) {
	dir := t.TempDir()
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.FixedZone("CET", 3600))
	w := &File{Dir: dir, Passphrase: func() (string, error) { return "pw", nil }, Now: func() time.Time { return at }}
	if err := w.Set(Item{Key: "work", Data: []byte("{}")}); err != nil {
		t.Fatal(err)
	}
	r := &File{Dir: dir, Passphrase: func() (string, error) { t.Fatal("passphrase asked"); return "", nil }}
	got, err := r.Created("work")
	if err != nil || !got.Equal(at) {
		t.Fatalf("Created = %v, %v; want %v", got, err, at)
	}
	// time.Now carries a monotonic reading, which its String shows.
	w = &File{Dir: dir, Passphrase: func() (string, error) { return "pw", nil }, Now: time.Now}
	if err := w.Set(Item{Key: "now", Data: []byte("{}")}); err != nil {
		t.Fatal(err)
	}
	if got, err := r.Created("now"); err != nil || time.Since(got) > time.Minute {
		t.Errorf("Created(now) = %v, %v", got, err)
	}
	if _, err := r.Created("none"); !errors.Is(err, ErrKeyNotFound) {
		t.Errorf("missing item: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "junk"), []byte("not a token"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Created("junk"); err == nil {
		t.Error("junk item: no error")
	}
	// A file too large to be an item is refused as Get refuses it, not
	// read in part.
	big := append([]byte(`eyJjcmVhdGVkIjoiMjAyNi0wMy0wNCAwNTowNjowNyArMDEwMCBDRVQifQ.`), make([]byte, maxItemSize)...)
	if err := os.WriteFile(filepath.Join(dir, "big"), big, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Created("big"); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("oversize item: %v", err)
	}
}
