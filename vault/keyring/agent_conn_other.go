//go:build !linux && !darwin

package keyring

import "time"

// agentConn is never made where the agent is not offered.
type agentConn struct{}

// maxSocketPath is the longest path a Unix socket address holds on Linux.
const maxSocketPath = 107

func dialAgent(string, time.Duration) (*agentConn, error) { return nil, errAgentNotOffered }

func (*agentConn) Read([]byte) (int, error)  { return 0, errAgentNotOffered }
func (*agentConn) Write([]byte) (int, error) { return 0, errAgentNotOffered }
func (*agentConn) Close() error              { return nil }
