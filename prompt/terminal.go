// Package prompt asks the user for MFA codes, passphrases and
// confirmations: on the terminal (never stdin or stdout), through a desktop
// dialog, or from a YubiKey or a profile's mfa_process. Drivers are built
// explicitly with New, never registered in init; programs run through an
// injected Runner.
package prompt

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/term"
)

// maxLine caps an answer typed on the terminal.
const maxLine = 4096

// TTY is an open terminal.
type TTY interface {
	io.ReadWriteCloser
	Fd() uintptr
}

// TTYOpener opens the controlling terminal. With none it returns an error
// wrapping ErrNoTerminal.
type TTYOpener func() (TTY, error)

// ErrNoTerminal means there is no terminal to prompt on.
var ErrNoTerminal = errors.New("no terminal to prompt on")

// ErrNotForeground means the terminal belongs to another process group
// (see ForegroundOnly); it wraps ErrNoTerminal.
var ErrNotForeground = fmt.Errorf("%w: another program has the terminal's foreground", ErrNoTerminal)

// Terminal prompts on the controlling terminal.
type Terminal struct {
	Open TTYOpener
	// Erase removes the prompt and the answer from the screen once read.
	Erase bool
}

// AskContext writes message to the terminal and reads one echoed line,
// trimmed. It gives up when ctx ends (Ctrl-C): the root context catches
// SIGINT, so a plain read would never return.
func (t Terminal) AskContext(ctx context.Context, message string) (string, error) {
	line, err := t.read(ctx, message, false)
	return strings.TrimSpace(line), err
}

// AskSecretContext is AskContext without echo (echo comes back on when ctx
// ends).
func (t Terminal) AskSecretContext(ctx context.Context, message string) (string, error) {
	line, err := t.read(ctx, message, true)
	return strings.TrimSpace(line), err
}

// PassphraseContext is AskSecretContext keeping the answer as typed, but
// for the line ending: spaces are part of a passphrase (aws-vault v7 and
// AWS_VAULT_FILE_PASSPHRASE keep them too).
func (t Terminal) PassphraseContext(ctx context.Context, message string) (string, error) {
	line, err := t.read(ctx, message, true)
	return strings.TrimRight(line, "\r"), err
}

type answer struct {
	line string
	err  error
}

// How converse reads the answer.
type readMode int

const (
	echoed   readMode = iota // a plain line
	quiet                    // a line, echo already off (noEcho)
	password                 // term.ReadPassword, where noEcho is missing
)

// read asks on a goroutine so that ctx can end the wait. When it does, the
// goroutine stays blocked on the terminal until the process exits; echo is
// turned back on first.
func (t Terminal) read(ctx context.Context, message string, secret bool) (string, error) {
	tty, err := t.Open()
	if err != nil {
		return "", err
	}
	mode, restore := echoed, func() {}
	if secret {
		mode, restore = hideInput(tty)
	}
	done := make(chan answer, 1)
	go func() {
		a := t.converse(tty, message, mode)
		restore()
		tty.Close()
		done <- a
	}()
	select {
	case a := <-done:
		return a.line, a.err
	case <-ctx.Done():
		restore()
		io.WriteString(tty, "\n")
		return "", ctx.Err()
	}
}

// hideInput turns echo off now if it can (mode quiet); otherwise reading
// will (mode password). restore puts the terminal back either way.
func hideInput(tty TTY) (readMode, func()) {
	fd := tty.Fd()
	if restore, err := noEcho(fd); err == nil {
		return quiet, restore
	}
	if state, err := term.GetState(int(fd)); err == nil {
		return password, func() { term.Restore(int(fd), state) }
	}
	return password, func() {}
}

// converse writes the prompt and reads the answer.
func (t Terminal) converse(tty TTY, message string, mode readMode) answer {
	if _, err := io.WriteString(tty, message); err != nil {
		return answer{err: fmt.Errorf("writing to the terminal: %w", err)}
	}
	var line string
	var err error
	if mode == password {
		var b []byte
		b, err = term.ReadPassword(int(tty.Fd()))
		line = string(b)
		io.WriteString(tty, "\n") // the user's Enter was not echoed
	} else {
		line, err = readLine(tty)
	}
	if err != nil {
		return answer{err: fmt.Errorf("reading from the terminal: %w", err)}
	}
	if t.Erase {
		shown := message
		if mode == echoed {
			shown += line
		}
		erase(tty, shown)
	}
	return answer{line: line}
}

// erase clears the lines shown took on the screen; the cursor is at the
// start of the line below them. Without a known width it does nothing.
func erase(tty TTY, shown string) {
	cols, _, err := term.GetSize(int(tty.Fd()))
	if err != nil || cols <= 0 {
		return
	}
	rows := max(1, (utf8.RuneCountInString(shown)+cols-1)/cols)
	io.WriteString(tty, strings.Repeat("\x1b[1A\x1b[2K", rows)+"\r")
}

// readLine reads up to a newline one byte at a time, so nothing after the
// line is consumed from the terminal.
func readLine(r io.Reader) (string, error) {
	var sb strings.Builder
	buf := make([]byte, 1)
	for sb.Len() < maxLine {
		n, err := r.Read(buf)
		if n == 1 {
			if buf[0] == '\n' {
				return sb.String(), nil
			}
			sb.WriteByte(buf[0])
		}
		if errors.Is(err, io.EOF) {
			if sb.Len() == 0 {
				return "", io.ErrUnexpectedEOF
			}
			return sb.String(), nil
		}
		if err != nil {
			return "", err
		}
	}
	return "", fmt.Errorf("answer longer than %d bytes", maxLine)
}
