//go:build !unix

package keyring

// lockedBytes returns n zeroed bytes; free zeroes them. This platform has
// no agent, so nothing is locked in memory here.
func lockedBytes(n int) (b []byte, free func()) {
	b = make([]byte, n)
	return b, func() { clear(b) }
}
