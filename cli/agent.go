package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/awsvault/aws-vault/vault/keyring"
)

// agentStart is what unlock hands a new agent on its standard input (a
// pipe): never in its arguments or environment, which other users' ps can
// read.
type agentStart struct {
	Dir        string `json:"dir"`
	Socket     string `json:"socket"`
	Seconds    int64  `json:"seconds"`
	Passphrase []byte `json:"passphrase"`
}

// agentReady is the agent's first and only line on its standard output
// once it listens; anything else is why it did not start.
const agentReady = "ready"

// configureAgent declares the hidden agent command: the process unlock
// starts, detached, to serve the file keyring.
func configureAgent(a *App) {
	cmd := a.kp.Command("agent", "Serve the file keyring to this user's processes (unlock starts it).").Hidden()
	a.register(cmd, func(ctx context.Context) error { return runAgent(ctx, a.s) })
}

// runAgent reads its start from stdin, listens, says so on stdout, closes
// both and serves until its time is up, lock, a signal or the socket's
// removal.
func runAgent(ctx context.Context, s *session) error {
	if s.StdinIsTerminal {
		return errors.New("the agent is started by aws-vault unlock; run that instead")
	}
	start, err := readAgentStart(s.Stdin)
	if err != nil {
		return agentFailed(s, err)
	}
	a, err := keyring.StartAgent(keyring.AgentConfig{Dir: start.Dir, Socket: start.Socket, Passphrase: start.Passphrase,
		Lifetime: time.Duration(start.Seconds) * time.Second, Now: s.Now})
	clear(start.Passphrase)
	if err != nil {
		return agentFailed(s, err)
	}
	fmt.Fprintln(s.Stdout, agentReady)
	closeStream(s.Stdout)
	reason := a.Serve(ctx)
	s.log.Printf("agent for %s stopped: %s", start.Dir, reason)
	return nil
}

// agentEnviron is what the agent keeps of unlock's environment: nothing
// it does not need (no passphrase, no AWS keys a shell may hold), only
// where it runs and what the Go runtime reads.
func agentEnviron(environ []string) []string {
	keep := []string{"HOME", "PATH", "XDG_RUNTIME_DIR", "TMPDIR", "TZ", "LANG", "LC_ALL", "GORACE", "GOCOVERDIR"}
	var out []string
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		if slices.Contains(keep, k) {
			out = append(out, kv)
		}
	}
	return out
}

// maxAgentStart bounds what the agent reads of its start message.
const maxAgentStart = 64 << 10

func readAgentStart(r io.Reader) (agentStart, error) {
	var start agentStart
	data, err := io.ReadAll(io.LimitReader(r, maxAgentStart))
	closeStream(r)
	defer clear(data)
	if err != nil {
		return start, err
	}
	if err := json.Unmarshal(data, &start); err != nil || start.Dir == "" || start.Socket == "" || start.Seconds <= 0 {
		return start, errors.New("the agent is started by aws-vault unlock, which hands it what it serves on its standard input")
	}
	return start, nil
}

// agentFailed tells unlock why the agent did not start.
func agentFailed(s *session, err error) error {
	fmt.Fprintln(s.Stdout, err.Error())
	closeStream(s.Stdout)
	return err
}

// closeStream closes a standard stream that can be closed (a pipe): the
// agent keeps none of unlock's.
func closeStream(v any) {
	if c, ok := v.(io.Closer); ok {
		c.Close()
	}
}
