package keyring

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// The agent's protocol: over a Unix socket, each message is a 4-byte
// big-endian length and that many bytes of JSON, at most maxAgentMessage.
// A client sends requests and reads one response to each, in order, on
// one connection. Every message carries the protocol version; a message
// the agent cannot read (too long, not JSON, another version, an unknown
// operation) ends that connection and nothing else.
const (
	agentVersion    = 1
	maxAgentMessage = 1 << 20
)

// The operations of the protocol. Keys and Remove need no passphrase and
// stay in the client.
const (
	opGet     = "get"     // Key → Item, or NotFound
	opSet     = "set"     // Item → nothing
	opStatus  = "status"  // → Until, Dir, PID
	opRefresh = "refresh" // Seconds, Passphrase → Until
	opStop    = "stop"    // → nothing; the agent then exits
)

// agentRequest is a client's message.
type agentRequest struct {
	V          int    `json:"v"`
	Op         string `json:"op"`
	Key        string `json:"key,omitempty"`
	Item       *Item  `json:"item,omitempty"`
	Seconds    int64  `json:"seconds,omitempty"`
	Passphrase string `json:"passphrase,omitempty"`
}

// agentResponse is the agent's answer to one request. Error is a message
// for the user (never holding a secret); NotFound is ErrKeyNotFound.
type agentResponse struct {
	V        int    `json:"v"`
	Error    string `json:"error,omitempty"`
	NotFound bool   `json:"notFound,omitempty"`
	Item     *Item  `json:"item,omitempty"`
	Until    int64  `json:"until,omitempty"` // Unix nanoseconds
	Dir      string `json:"dir,omitempty"`
	PID      int    `json:"pid,omitempty"`
}

// errMessageSize is a frame longer than maxAgentMessage, or empty.
var errMessageSize = errors.New("message size out of bounds")

// writeMessage sends v as one frame, in one write.
func writeMessage(w io.Writer, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if len(body) > maxAgentMessage {
		return errMessageSize
	}
	frame := make([]byte, 4+len(body))
	binary.BigEndian.PutUint32(frame, uint32(len(body)))
	copy(frame[4:], body)
	_, err = w.Write(frame)
	clear(frame)
	return err
}

// readMessage reads one frame into v, refusing frames out of bounds
// before reading their bodies, and messages of another version.
func readMessage(r io.Reader, v interface{ version() int }) error {
	var head [4]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return err
	}
	n := binary.BigEndian.Uint32(head[:])
	if n == 0 || n > maxAgentMessage {
		return errMessageSize
	}
	body := make([]byte, n)
	defer clear(body)
	if _, err := io.ReadFull(r, body); err != nil {
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("not a message: %w", err)
	}
	if got := v.version(); got != agentVersion {
		return fmt.Errorf("protocol version %d, not %d", got, agentVersion)
	}
	return nil
}

func (r *agentRequest) version() int  { return r.V }
func (r *agentResponse) version() int { return r.V }
