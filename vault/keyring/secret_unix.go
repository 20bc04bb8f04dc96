//go:build unix

package keyring

import (
	"os"

	"golang.org/x/sys/unix"
)

// lockedBytes returns n zeroed bytes outside the Go heap, locked in memory
// (mlock) where the limit on locked memory allows, so that they are never
// written to swap; the garbage collector never copies them. free zeroes and
// releases them.
func lockedBytes(n int) (b []byte, free func()) {
	page := os.Getpagesize()
	size := (n + page - 1) / page * page
	if size == 0 {
		size = page
	}
	mem, err := unix.Mmap(-1, 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
	if err != nil {
		b = make([]byte, n)
		return b, func() { clear(b) }
	}
	_ = unix.Mlock(mem) // best effort: RLIMIT_MEMLOCK may be too small
	return mem[:n:n], func() {
		clear(mem)
		_ = unix.Munmap(mem)
	}
}
