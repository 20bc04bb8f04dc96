// Package prompt asks the user for MFA codes, passphrases and
// confirmations: on the terminal (never stdin or stdout) or through a
// desktop dialog or device. Drivers are built explicitly, never registered
// in init.
package prompt

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// maxLine caps an answer typed on the terminal.
const maxLine = 4096

// TTY is an open terminal.
type TTY interface {
	io.ReadWriteCloser
	Fd() uintptr
}

// TTYOpener opens the controlling terminal.
type TTYOpener func() (TTY, error)

// ErrNoTerminal means there is no terminal to prompt on.
var ErrNoTerminal = errors.New("no terminal to prompt on")

// Terminal prompts on the controlling terminal.
type Terminal struct {
	Open TTYOpener
}

// Ask writes message to the terminal and reads one echoed line, trimmed.
func (t Terminal) Ask(message string) (string, error) {
	return t.read(message, false)
}

// AskSecret writes message to the terminal and reads one line without echo,
// trimmed.
func (t Terminal) AskSecret(message string) (string, error) {
	return t.read(message, true)
}

func (t Terminal) read(message string, secret bool) (string, error) {
	tty, err := t.Open()
	if err != nil {
		return "", err
	}
	defer tty.Close()
	if _, err := io.WriteString(tty, message); err != nil {
		return "", err
	}
	var line string
	if secret {
		var b []byte
		b, err = term.ReadPassword(int(tty.Fd()))
		line = string(b)
		io.WriteString(tty, "\n") // the user's Enter was not echoed
	} else {
		line, err = readLine(tty)
	}
	if err != nil {
		return "", fmt.Errorf("reading from the terminal: %w", err)
	}
	return strings.TrimSpace(line), nil
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

// OpenDevTTY opens /dev/tty. With no controlling terminal it returns an error
// wrapping ErrNoTerminal.
func OpenDevTTY() (TTY, error) {
	f, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrNoTerminal, err)
	}
	return f, nil
}
