//go:build !windows

package vault

import "syscall"

// nonBlock makes opening a named pipe for writing fail at once (no reader)
// instead of waiting for one; regular files ignore it.
const nonBlock = syscall.O_NONBLOCK
