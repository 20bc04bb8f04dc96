//go:build !linux && !darwin

package prompt

import "errors"

// noEcho is not implemented here: secrets are read with term.ReadPassword,
// which turns echo off itself (the Windows console, for one).
func noEcho(uintptr) (func(), error) {
	return nil, errors.New("no termios control on this platform")
}
