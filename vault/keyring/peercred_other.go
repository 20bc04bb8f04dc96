//go:build !linux && !darwin

package keyring

// AgentOffered tells whether this build offers the keyring agent: not on
// this platform, which has no peer credentials for Unix sockets that this
// program reads (Windows among them).
const AgentOffered = false

func socketPeerUID(int) (int, error) { return 0, errAgentNotOffered }
