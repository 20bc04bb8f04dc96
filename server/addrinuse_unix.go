//go:build !windows

package server

import (
	"errors"
	"syscall"
)

// isAddrInUse reports a listen that failed because the address is taken.
func isAddrInUse(err error) bool { return errors.Is(err, syscall.EADDRINUSE) }
