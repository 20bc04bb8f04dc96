//go:build linux

package keyring

import (
	"strings"
	"testing"
	"time"

	"github.com/awsvault/aws-vault/vault/keyring/keyringtest"
)

// These tests drive the bounded Secret Service prompts against a real
// gnome-keyring-daemon on a private bus. (The library's backend itself is
// exercised end to end by the cli backend scripts: it registers only when
// the process starts with a bus.)

func TestSecretsClientExistingCollectionNeedsNoPrompt(t *testing.T) {
	t.Parallel()
	ss := keyringtest.StartSecretService(t, keyringtest.SecretServiceOptions{Collections: []string{"awsvault"}, HangingPrompter: true})
	c := newSecretsClient(ss.Conn(t), "awsvault", 5*time.Second, time.Minute)
	if err := c.writable(); err != nil {
		t.Fatalf("writable: %v", err)
	}
	if _, ok, err := c.find(); err != nil || !ok {
		t.Fatalf("find = %v, %v; want the collection", ok, err)
	}
}

func TestSecretsClientCreateGivesUpOnAHangingPrompt(t *testing.T) {
	t.Parallel()
	ss := keyringtest.StartSecretService(t, keyringtest.SecretServiceOptions{HangingPrompter: true})
	c := newSecretsClient(ss.Conn(t), "newone", 5*time.Second, 300*time.Millisecond)
	start := time.Now()
	err := c.writable()
	want := `collection "newone" does not exist, and the desktop prompt to create it got no answer within 300ms`
	if err == nil || err.Error() != want {
		t.Fatalf("writable = %v, want %q", err, want)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("gave up after %s, want about 300ms", took)
	}
	if _, ok, _ := c.find(); ok {
		t.Error("the collection exists although its prompt was dismissed")
	}
}

func TestSecretsClientCreateWithNoPrompter(t *testing.T) {
	t.Parallel()
	ss := keyringtest.StartSecretService(t, keyringtest.SecretServiceOptions{})
	c := newSecretsClient(ss.Conn(t), "newone", 5*time.Second, 20*time.Second)
	start := time.Now()
	err := c.writable()
	if err == nil || !strings.HasPrefix(err.Error(), `collection "newone" does not exist, and the desktop prompt to create it `) {
		t.Fatalf("writable = %v", err)
	}
	t.Logf("%v after %s", err, time.Since(start))
}

func TestSecretsClientLockedCollection(t *testing.T) {
	t.Parallel()
	ss := keyringtest.StartSecretService(t, keyringtest.SecretServiceOptions{HangingPrompter: true})
	ss.LockCollection(t, "login")
	conn := ss.Conn(t)
	c := newSecretsClient(conn, "login", 5*time.Second, 300*time.Millisecond)
	err := c.readable()
	want := `collection "login" is locked, and the desktop prompt to unlock it got no answer within 300ms`
	if err == nil || err.Error() != want {
		t.Fatalf("readable = %v, want %q", err, want)
	}
	// The client going away with its prompt pending (aws-vault exiting)
	// leaves the daemon running. A missing collection needs nothing to
	// read: it has no items.
	conn.Close()
	time.Sleep(100 * time.Millisecond)
	if err := newSecretsClient(ss.Conn(t), "missing", 5*time.Second, time.Second).readable(); err != nil {
		t.Errorf("readable(missing) = %v", err)
	}
}

func TestUnescapePath(t *testing.T) {
	for in, want := range map[string]string{
		"/org/freedesktop/secrets/collection/awsvault":     "/org/freedesktop/secrets/collection/awsvault",
		"/org/freedesktop/secrets/collection/aws_2dvault":  "/org/freedesktop/secrets/collection/aws-vault",
		"/org/freedesktop/secrets/collection/bad_zzescape": "/org/freedesktop/secrets/collection/bad_zzescape",
		"/org/freedesktop/secrets/collection/short_4":      "/org/freedesktop/secrets/collection/short_4",
	} {
		if got := unescapePath(in); got != want {
			t.Errorf("unescapePath(%q) = %q, want %q", in, got, want)
		}
	}
}
