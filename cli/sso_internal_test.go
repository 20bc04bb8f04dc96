package cli

import (
	"bytes"
	"regexp"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer safe for the notice's goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Waiting for another's SSO sign-in is one line: once on a pipe, counting
// down in place on a terminal and finished when the wait ends; a wait
// shorter than the delay says nothing.
func TestWaitNotice(t *testing.T) {
	const msg = "waiting for SSO sign-in for https://x/start in your browser (Ctrl-C to abort)"
	// run waits until the notice has written ticks updates (0: not at
	// all, with a delay it never reaches), then ends the wait.
	run := func(terminal bool, ticks int) string {
		var w lockedBuffer
		n := &waitNotice{w: &w, terminal: terminal, msg: msg, limit: 11 * time.Minute, delay: time.Millisecond, tick: 5 * time.Millisecond}
		if ticks == 0 {
			n.delay = time.Hour
		}
		n.begin()
		n.begin() // told again by a later poll: still one notice
		for deadline := time.Now().Add(10 * time.Second); bytes.Count([]byte(w.String()), []byte(msg)) < ticks && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
		n.end()
		return w.String()
	}
	if got := run(false, 1); got != msg+"\n" {
		t.Errorf("pipe: %q", got)
	}
	term := run(true, 3)
	if !regexp.MustCompile(`^(\r` + regexp.QuoteMeta(msg) + `, 1[01]m[0-9]+s left\x1b\[K){3,}\r` + regexp.QuoteMeta(msg) + "\x1b\\[K\n$").MatchString(term) {
		t.Errorf("terminal: %q", term)
	}
	if got := run(true, 0); got != "" {
		t.Errorf("short wait: %q", got)
	}
	(&waitNotice{}).end() // never began
}
