//go:build linux || darwin

package prompt

import (
	"syscall"
	"unsafe"
)

// noEcho turns echo off on the terminal fd, keeping line editing and
// showing the final newline (ECHONL), and returns the function that
// restores the previous state. Echo goes off before the prompt is written,
// so an answer typed ahead (pasted, or sent by a script) is never shown,
// which term.ReadPassword, turning it off after the prompt, cannot promise.
func noEcho(fd uintptr) (restore func(), err error) {
	var old syscall.Termios
	if err := termios(fd, ioctlGetTermios, &old); err != nil {
		return nil, err
	}
	quiet := old
	quiet.Lflag &^= syscall.ECHO
	quiet.Lflag |= syscall.ECHONL | syscall.ICANON | syscall.ISIG
	quiet.Iflag |= syscall.ICRNL
	if err := termios(fd, ioctlSetTermios, &quiet); err != nil {
		return nil, err
	}
	return func() { termios(fd, ioctlSetTermios, &old) }, nil
}

func termios(fd uintptr, req uintptr, t *syscall.Termios) error {
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, fd, req, uintptr(unsafe.Pointer(t))); errno != 0 {
		return errno
	}
	return nil
}
