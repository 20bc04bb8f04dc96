package server

import (
	"errors"

	"golang.org/x/sys/windows"
)

// isAddrInUse reports a listen that failed because the address is taken.
func isAddrInUse(err error) bool { return errors.Is(err, windows.WSAEADDRINUSE) }
