//go:build !unix

package cli

import (
	"context"
	"errors"
	"time"
)

// startAgent is never reached where the agent is not offered (agentSocket
// refuses first).
func startAgent(context.Context, *session, agentStart) (time.Time, error) {
	return time.Time{}, errors.New("the keyring agent is not offered on this platform")
}
