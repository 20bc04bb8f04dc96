package prompt

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

func TestTerminalAsk(t *testing.T) {
	tty := newFakeTTY("AKIAEXAMPLE\nnot read\n")
	got, err := Terminal{Open: tty.opener()}.AskContext(context.Background(), "Enter Access Key ID: ")
	if err != nil || got != "AKIAEXAMPLE" {
		t.Fatalf("Ask = %q, %v", got, err)
	}
	if out := tty.output(); out != "Enter Access Key ID: " {
		t.Errorf("terminal shows %q", out)
	}
	if !tty.closed {
		t.Error("terminal left open")
	}
	rest, _ := io.ReadAll(tty.in)
	if string(rest) != "not read\n" {
		t.Errorf("Ask consumed more than its line: %q left", rest)
	}
}

func TestTerminalAskEOF(t *testing.T) {
	got, err := Terminal{Open: newFakeTTY("last line").opener()}.AskContext(context.Background(), "? ")
	if err != nil || got != "last line" {
		t.Errorf("unterminated line: %q, %v", got, err)
	}
	if _, err := (Terminal{Open: newFakeTTY("").opener()}).AskContext(context.Background(), "? "); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("nothing typed: %v", err)
	}
	long := strings.Repeat("x", maxLine+10) + "\n"
	if _, err := (Terminal{Open: newFakeTTY(long).opener()}).AskContext(context.Background(), "? "); err == nil {
		t.Error("an answer over maxLine was accepted")
	}
}

func TestTerminalNoTerminal(t *testing.T) {
	if _, err := (Terminal{Open: noTTY}).AskContext(context.Background(), "? "); !errors.Is(err, ErrNoTerminal) {
		t.Errorf("error %v, want ErrNoTerminal", err)
	}
}

// Ctrl-C cancels the root context; a prompt waiting on the terminal must
// give up instead of blocking forever.
func TestTerminalAskContextCancelled(t *testing.T) {
	r, w := io.Pipe()
	defer w.Close() // releases the abandoned reader
	tty := &fakeTTY{in: r}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	start := time.Now()
	_, err := Terminal{Open: tty.opener()}.AskContext(ctx, "Enter MFA code: ")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("took %s to give up", took)
	}
}
