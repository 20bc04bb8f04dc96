package prompt

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/awsvault/aws-vault/internal/proc"
)

// ykman reads a TOTP code from a YubiKey's OATH application with the
// YubiKey Manager CLI.
type ykman struct{ o Options }

// ykmanArgs builds ykman's arguments for serial. YKMAN_OATH_CREDENTIAL_NAME
// names the OATH account (default: the serial), YKMAN_OATH_DEVICE_SERIAL
// picks one of several keys, and AWS_VAULT_YKMAN_VERSION 1, 2 or 3 selects
// the old "oath code" syntax instead of "oath accounts code".
func ykmanArgs(getenv func(string) string, serial string) []string {
	var args []string
	if device := getenv("YKMAN_OATH_DEVICE_SERIAL"); device != "" {
		args = append(args, "--device", device)
	}
	switch getenv("AWS_VAULT_YKMAN_VERSION") {
	case "1", "2", "3":
		args = append(args, "oath", "code")
	default:
		args = append(args, "oath", "accounts", "code")
	}
	name := getenv("YKMAN_OATH_CREDENTIAL_NAME")
	if name == "" {
		name = serial
	}
	return append(args, "--single", name)
}

// MFACode runs ykman. With a terminal, ykman's stdin and stderr are on it
// (so it can ask for an OATH password) and a notice to touch the key is
// shown there; without one its stderr is ours.
func (y ykman) MFACode(ctx context.Context, serial string) (string, error) {
	args := ykmanArgs(y.getenv, serial)
	c := proc.Command{Path: "ykman", Args: args, Stderr: y.o.Stderr}
	if tty, err := y.o.OpenTTY(); err == nil {
		defer tty.Close()
		fmt.Fprintf(tty, "Reading the MFA code for %s from your YubiKey: touch it if it flashes.\n", serial)
		c.Stdin, c.Stderr, c.Terminal = tty, tty, true
	}
	if c.Stderr == nil {
		c.Stderr = io.Discard
	}
	out, err := runBounded(ctx, y.o.Runner, c, y.o.timeout(), "ykman")
	var exitErr *proc.ExitError
	if errors.As(err, &exitErr) {
		return "", fmt.Errorf("%w (no YubiKey, or no OATH account %q on it? YKMAN_OATH_CREDENTIAL_NAME names the account)", err, args[len(args)-1])
	}
	if err != nil {
		return "", err
	}
	code, err := CheckCode(string(out))
	if err != nil {
		return "", fmt.Errorf("what ykman printed %w", err)
	}
	return code, nil
}

// getenv reads a variable; with no Getenv, none is set.
func (y ykman) getenv(name string) string {
	if y.o.Getenv == nil {
		return ""
	}
	return y.o.Getenv(name)
}
