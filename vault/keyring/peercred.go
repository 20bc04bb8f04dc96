package keyring

import (
	"errors"
	"net"
	"runtime"
)

// errAgentNotOffered: this platform cannot tell who is at the other end of
// a Unix socket, so no agent is offered on it.
var errAgentNotOffered = errors.New("the keyring agent is not offered on " + runtime.GOOS)

// peerUID returns the uid of the process at the other end of conn, as the
// kernel recorded it when the connection was made.
func peerUID(conn *net.UnixConn) (int, error) {
	raw, err := conn.SyscallConn()
	if err != nil {
		return 0, err
	}
	uid, credErr := -1, error(nil)
	if err := raw.Control(func(fd uintptr) { uid, credErr = socketPeerUID(int(fd)) }); err != nil {
		return 0, err
	}
	return uid, credErr
}
