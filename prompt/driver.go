package prompt

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/awsvault/aws-vault/internal/proc"
)

// Driver names, as --prompt and AWS_VAULT_PROMPT take them.
const (
	TerminalDriver  = "terminal"
	KDialogDriver   = "kdialog"
	OSAScriptDriver = "osascript"
	WinCredUIDriver = "wincredui"
	YKManDriver     = "ykman"
	ZenityDriver    = "zenity"
)

// DefaultTimeout bounds how long a dialog, ykman or mfa_process may take to
// give a code: long enough to find a YubiKey or read a phone.
const DefaultTimeout = 2 * time.Minute

// Driver asks for the MFA code of a device.
type Driver interface {
	MFACode(ctx context.Context, serial string) (string, error)
}

// Options are what drivers need from the outside world.
type Options struct {
	// OpenTTY opens the terminal: the terminal driver prompts there, and
	// ykman and mfa_process get it as stdin and stderr when there is one.
	OpenTTY TTYOpener
	// Runner runs dialog programs, ykman and mfa_process.
	Runner proc.Runner
	// Getenv reads ykman's variables (YKMAN_OATH_CREDENTIAL_NAME, ...).
	Getenv func(string) string
	// Stderr receives ykman's and mfa_process's stderr when there is no
	// terminal.
	Stderr io.Writer
	// Timeout bounds each program; zero means DefaultTimeout.
	Timeout time.Duration
}

func (o Options) timeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return DefaultTimeout
}

// New returns the named driver. Unknown names and drivers this platform
// lacks are errors.
func New(name string, o Options) (Driver, error) {
	switch name {
	case TerminalDriver:
		return terminalDriver{t: Terminal{Open: o.OpenTTY, Erase: true}}, nil
	case KDialogDriver, OSAScriptDriver, ZenityDriver:
		return dialog{program: name, o: o}, nil
	case YKManDriver:
		return ykman{o: o}, nil
	case WinCredUIDriver:
		return newWinCredUI(o)
	}
	return nil, fmt.Errorf("unknown prompt driver %q", name)
}

// Select picks the driver to use: the requested one if any; else terminal
// when stdout is a terminal; else (output piped, as under credential_process)
// the alphabetically first available driver other than terminal, falling
// back to terminal. It is a pure function: unlike aws-vault v7, server modes
// may use the terminal when there is one.
func Select(requested string, available []string, stdoutIsTerminal bool) string {
	if requested != "" {
		return requested
	}
	if stdoutIsTerminal {
		return TerminalDriver
	}
	sorted := slices.Sorted(slices.Values(available))
	for _, name := range sorted {
		if name != TerminalDriver {
			return name
		}
	}
	return TerminalDriver
}

// Message is the text every driver shows: "Enter MFA code for <serial>: ".
func Message(serial string) string {
	return fmt.Sprintf("Enter MFA code for %s: ", serial)
}

// ErrNotACode means an answer is not an MFA code. The answer itself is
// never put in an error.
var ErrNotACode = errors.New("is not an MFA code (6 digits)")

// CheckCode trims an answer and checks it is what AWS accepts as a
// TokenCode: six digits. Spaces inside ("123 456") are dropped.
func CheckCode(answer string) (string, error) {
	code := strings.ReplaceAll(strings.TrimSpace(answer), " ", "")
	if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
		return "", ErrNotACode
	}
	return code, nil
}

// terminalDriver asks on the controlling terminal.
type terminalDriver struct{ t Terminal }

func (d terminalDriver) MFACode(ctx context.Context, serial string) (string, error) {
	answer, err := d.t.AskContext(ctx, Message(serial))
	if err != nil {
		return "", err
	}
	if answer == "" {
		return "", fmt.Errorf("no MFA code entered for %s", serial)
	}
	code, err := CheckCode(answer)
	if err != nil {
		return "", fmt.Errorf("the answer for %s %w", serial, err)
	}
	return code, nil
}
