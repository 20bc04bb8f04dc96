package keyring

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
)

// ErrAgentUnreachable is a request no agent answered: none runs, its socket
// is gone, or it did not answer in time or in the protocol. The file
// backend then uses the passphrase.
var ErrAgentUnreachable = errors.New("no keyring agent answers")

// ErrAgentSilent is an agent that took the connection but did not answer
// within the timeout (stopped, say): part of ErrAgentUnreachable's errors.
var ErrAgentSilent = errors.New("the agent is connected but silent")

// errAgentClosed is the agent closing the connection mid-answer.
var errAgentClosed = io.ErrUnexpectedEOF

// DefaultAgentTimeout bounds one request to the agent, connecting included.
const DefaultAgentTimeout = 10 * time.Second

// AgentClient talks to the agent on Socket, over one connection made at
// the first request. It is not safe for concurrent use.
type AgentClient struct {
	Socket string
	// Timeout bounds each request; 0 means DefaultAgentTimeout.
	Timeout time.Duration

	conn *agentConn
}

// AgentStatus is what a running agent says of itself.
type AgentStatus struct {
	Until time.Time
	Dir   string
	PID   int
}

// Get asks the agent for an item.
func (c *AgentClient) Get(key string) (Item, error) {
	resp, err := c.call(getRequest(key))
	if err != nil {
		return Item{}, err
	}
	if resp.Item == nil {
		return Item{}, c.unreachable(errors.New("answer without an item"))
	}
	return *resp.Item, nil
}

// Set has the agent encrypt and store an item.
func (c *AgentClient) Set(item Item) error {
	_, err := c.call(agentRequest{Op: opSet, Item: &item})
	return err
}

// Status asks the agent until when it serves, and what.
func (c *AgentClient) Status() (AgentStatus, error) {
	resp, err := c.call(agentRequest{Op: opStatus})
	if err != nil {
		return AgentStatus{}, err
	}
	return AgentStatus{Until: time.Unix(0, resp.Until), Dir: resp.Dir, PID: resp.PID}, nil
}

// Refresh has the agent serve for d from now; it must be given the
// passphrase it holds.
func (c *AgentClient) Refresh(d time.Duration, passphrase string) (time.Time, error) {
	resp, err := c.call(agentRequest{Op: opRefresh, Seconds: int64(d / time.Second), Passphrase: passphrase})
	if err != nil {
		return time.Time{}, err
	}
	return time.Unix(0, resp.Until), nil
}

// Stop has the agent forget everything and exit.
func (c *AgentClient) Stop() error {
	_, err := c.call(agentRequest{Op: opStop})
	return err
}

// Close closes the connection, if one was made.
func (c *AgentClient) Close() {
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
}

// getRequest is a get request, encoded without encoding/json's walk of
// agentRequest (and of Item, which a get does not carry): the warm path
// of a short-lived client pays that walk on every call. A test checks it
// decodes as agentRequest{Op: opGet, Key: key}.
func getRequest(key string) json.RawMessage {
	quoted, _ := json.Marshal(key) // a string always encodes
	return json.RawMessage(`{"v":` + strconv.Itoa(agentVersion) + `,"op":"` + opGet + `","key":` + string(quoted) + `}`)
}

// call sends one request and reads its answer. Failing to reach the agent
// or to read its answer is ErrAgentUnreachable; an answer that is an error
// (the item cannot be decrypted, say) is that error.
func (c *AgentClient) call(req any) (agentResponse, error) {
	if r, ok := req.(agentRequest); ok {
		r.V = agentVersion
		req = &r
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultAgentTimeout
	}
	if c.conn == nil {
		conn, err := dialAgent(c.Socket, timeout)
		if err != nil {
			return agentResponse{}, c.unreachable(err)
		}
		c.conn = conn
	}
	var resp agentResponse
	err := writeMessage(c.conn, req)
	if err == nil {
		err = readMessage(c.conn, &resp)
	}
	if err != nil {
		c.Close()
		return resp, c.unreachable(err)
	}
	switch {
	case resp.NotFound:
		return resp, ErrKeyNotFound
	case resp.Error != "":
		return resp, errors.New(resp.Error)
	}
	return resp, nil
}

func (c *AgentClient) unreachable(err error) error {
	return fmt.Errorf("%w at %s: %w", ErrAgentUnreachable, c.Socket, err)
}
