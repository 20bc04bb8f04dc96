//go:build linux || darwin

package keyring

import (
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// agentConn is a client's connection to the agent: a blocking Unix socket
// used with plain system calls, its waits bounded by the socket's send and
// receive timeouts. A client makes one or two requests in its short life;
// this spares it the start of Go's network poller.
type agentConn struct{ fd int }

// maxSocketPath is the longest path a Unix socket address holds (its
// terminating NUL aside): 107 bytes on Linux, 103 on macOS.
const maxSocketPath = len(unix.RawSockaddrUnix{}.Path) - 1

// dialAgent connects to socket and checks that the agent there runs as
// this user: an agent of another user would be handed our items.
func dialAgent(socket string, timeout time.Duration) (*agentConn, error) {
	if _, err := os.Lstat(socket); err != nil {
		return nil, errors.New("no agent (the keyring is locked)")
	}
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	if err != nil {
		return nil, err
	}
	unix.CloseOnExec(fd)
	c := &agentConn{fd: fd}
	tv := unix.NsecToTimeval(timeout.Nanoseconds())
	for _, opt := range []int{unix.SO_RCVTIMEO, unix.SO_SNDTIMEO} {
		if err = unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, opt, &tv); err != nil {
			break
		}
	}
	if err == nil {
		err = unix.Connect(fd, &unix.SockaddrUnix{Name: socket})
	}
	if err == nil {
		var uid int
		if uid, err = socketPeerUID(fd); err == nil && uid != os.Getuid() {
			err = fmt.Errorf("the agent runs as uid %d, not as this user", uid)
		}
	}
	if err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func (c *agentConn) Read(p []byte) (int, error) {
	for {
		n, err := unix.Read(c.fd, p)
		switch {
		case err == unix.EINTR:
			continue
		case err == unix.EAGAIN:
			return 0, fmt.Errorf("%w: it did not answer in time", ErrAgentSilent)
		case err != nil:
			return 0, err
		case n == 0 && len(p) > 0:
			return 0, errAgentClosed
		}
		return n, nil
	}
}

func (c *agentConn) Write(p []byte) (int, error) {
	written := 0
	for written < len(p) {
		n, err := unix.Write(c.fd, p[written:])
		switch {
		case err == unix.EINTR:
			continue
		case err == unix.EAGAIN:
			return written, fmt.Errorf("%w: it did not read in time", ErrAgentSilent)
		case err != nil:
			return written, err
		}
		written += n
	}
	return written, nil
}

// Close closes the socket.
func (c *agentConn) Close() error { return unix.Close(c.fd) }
