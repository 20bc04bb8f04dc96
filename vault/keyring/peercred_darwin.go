package keyring

import "golang.org/x/sys/unix"

// AgentOffered tells whether this build offers the keyring agent: where the
// kernel says who is at the other end of a Unix socket (SO_PEERCRED on
// Linux, LOCAL_PEERCRED on macOS).
const AgentOffered = true

func socketPeerUID(fd int) (int, error) {
	cred, err := unix.GetsockoptXucred(fd, unix.SOL_LOCAL, unix.LOCAL_PEERCRED)
	if err != nil {
		return 0, err
	}
	return int(cred.Uid), nil
}
