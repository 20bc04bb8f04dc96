package keyring

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"
	"unsafe"
)

// AgentConfig is what an agent is started with.
type AgentConfig struct {
	// Dir is the file keyring directory the agent serves, and only it.
	Dir string
	// Socket is where it listens (AgentSocket); its directory is created
	// 0700 and must be this user's alone.
	Socket string
	// Passphrase is copied into locked memory; the caller clears its copy.
	Passphrase []byte
	// Lifetime is how long the agent serves, unless refreshed.
	Lifetime time.Duration
	// Now stamps new items and reports the end of the lifetime.
	Now func() time.Time
	// PollInterval is how often the agent checks that its socket is still
	// there (it exits when it is not); 0 means DefaultAgentPoll.
	PollInterval time.Duration
}

// DefaultAgentPoll is how often an agent looks for its socket.
const DefaultAgentPoll = 5 * time.Second

// Limits of one agent: connections served at once (more wait to be
// accepted), and how long a connection may stay silent.
const (
	maxAgentConns = 32
	agentIdle     = 30 * time.Second
)

// MinAgentLifetime and MaxAgentLifetime bound an agent's lifetime.
const (
	MinAgentLifetime = time.Minute
	MaxAgentLifetime = 24 * time.Hour
)

// Agent serves one file keyring directory to this user's aws-vault
// processes over a Unix socket: it holds the passphrase, decrypts and
// encrypts items itself, and keeps decrypted items while their files stay
// unchanged, so a client needs neither the passphrase nor the key
// derivation. See agentRequest for the protocol.
type Agent struct {
	cfg      AgentConfig
	file     *File
	pass     []byte
	freePass func()
	ln       *net.UnixListener
	sockStat os.FileInfo
	slots    chan struct{}
	stopped  chan struct{}
	stopOnce sync.Once
	wg       sync.WaitGroup

	mu    sync.Mutex
	timer *time.Timer
	until time.Time
	cache map[string]*cachedItem
	conns map[*net.UnixConn]struct{}
}

// cachedItem is a decrypted item, its data in locked memory, with the
// identity of the file it came from.
type cachedItem struct {
	id   fileID
	item Item
	free func()
}

// StartAgent checks the passphrase against the items in cfg.Dir, then
// listens on cfg.Socket. It fails when another agent answers there.
func StartAgent(cfg AgentConfig) (*Agent, error) {
	if !AgentOffered {
		return nil, errAgentNotOffered
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = DefaultAgentPoll
	}
	a := &Agent{cfg: cfg, slots: make(chan struct{}, maxAgentConns), stopped: make(chan struct{}),
		cache: map[string]*cachedItem{}, conns: map[*net.UnixConn]struct{}{}}
	a.pass, a.freePass = lockedBytes(len(cfg.Passphrase))
	copy(a.pass, cfg.Passphrase)
	// The File reads the passphrase where it is locked, without a copy.
	pass := unsafe.String(unsafe.SliceData(a.pass), len(a.pass))
	a.file = &File{Dir: cfg.Dir, Now: cfg.Now, Passphrase: func() (string, error) { return pass, nil }}
	if err := a.file.CheckPassphrase(""); err != nil {
		a.freePass()
		return nil, err
	}
	if err := a.listen(); err != nil {
		a.freePass()
		return nil, err
	}
	a.until = cfg.Now().Add(cfg.Lifetime)
	a.timer = time.NewTimer(cfg.Lifetime)
	return a, nil
}

// listen makes the socket, replacing a stale one no agent answers on.
func (a *Agent) listen() error {
	if err := privateDir(filepath.Dir(a.cfg.Socket)); err != nil {
		return fmt.Errorf("agent directory: %w", err)
	}
	if conn, err := dialAgent(a.cfg.Socket, time.Second); err == nil {
		conn.Close()
		return fmt.Errorf("an agent already serves %s on %s", a.cfg.Dir, a.cfg.Socket)
	}
	if err := os.Remove(a.cfg.Socket); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: a.cfg.Socket, Net: "unix"})
	if err != nil {
		return err
	}
	// Closing must not remove a socket another agent has put there since.
	ln.SetUnlinkOnClose(false)
	st, err := os.Lstat(a.cfg.Socket)
	if err == nil {
		err = os.Chmod(a.cfg.Socket, 0o600)
	}
	if err != nil {
		ln.Close()
		return err
	}
	a.ln, a.sockStat = ln, st
	return nil
}

// Until is when the agent stops serving, unless refreshed.
func (a *Agent) Until() time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.until
}

// Serve answers requests until the lifetime ends, a client asks the agent
// to stop, ctx ends (a signal), or the socket is removed or replaced. It
// then closes every connection, removes its socket, and forgets the
// passphrase and every item. It returns why it stopped.
func (a *Agent) Serve(ctx context.Context) string {
	go a.acceptLoop()
	tick := time.NewTicker(a.cfg.PollInterval)
	defer tick.Stop()
	reason := ""
	for reason == "" {
		select {
		case <-ctx.Done():
			reason = "signal"
		case <-a.timer.C:
			reason = "time is up"
		case <-a.stopped:
			reason = "locked"
		case <-tick.C:
			if !a.socketIsOurs() {
				reason = "socket removed"
			}
		}
	}
	a.shutdown()
	return reason
}

// stop makes Serve return.
func (a *Agent) stop() { a.stopOnce.Do(func() { close(a.stopped) }) }

func (a *Agent) socketIsOurs() bool {
	st, err := os.Lstat(a.cfg.Socket)
	return err == nil && os.SameFile(st, a.sockStat)
}

func (a *Agent) shutdown() {
	a.stop()
	a.ln.Close()
	if a.socketIsOurs() {
		os.Remove(a.cfg.Socket)
	}
	a.mu.Lock()
	for c := range a.conns {
		c.Close()
	}
	a.mu.Unlock()
	a.wg.Wait()
	a.mu.Lock()
	for k, c := range a.cache {
		c.free()
		delete(a.cache, k)
	}
	a.mu.Unlock()
	a.freePass()
}

func (a *Agent) acceptLoop() {
	for {
		select {
		case a.slots <- struct{}{}:
		case <-a.stopped:
			return
		}
		conn, err := a.ln.AcceptUnix()
		if err != nil {
			<-a.slots
			return
		}
		a.mu.Lock()
		select {
		case <-a.stopped:
			// shutdown may be waiting for the handlers already.
			a.mu.Unlock()
			conn.Close()
			<-a.slots
			return
		default:
		}
		a.conns[conn] = struct{}{}
		a.wg.Add(1)
		a.mu.Unlock()
		go a.serveConn(conn)
	}
}

// serveConn answers one connection's requests, in order. A connection
// from another user is closed unanswered; so is one that sends anything
// but a well-formed request.
func (a *Agent) serveConn(conn *net.UnixConn) {
	defer func() {
		conn.Close()
		a.mu.Lock()
		delete(a.conns, conn)
		a.mu.Unlock()
		<-a.slots
		a.wg.Done()
	}()
	if uid, err := peerUID(conn); err != nil || uid != os.Getuid() {
		return
	}
	for {
		_ = conn.SetDeadline(time.Now().Add(agentIdle))
		var req agentRequest
		if err := readMessage(conn, &req); err != nil {
			return
		}
		resp, ok := a.answer(req)
		if !ok {
			return
		}
		resp.V = agentVersion
		if err := writeMessage(conn, &resp); err != nil {
			return
		}
		if req.Op == opStop {
			a.stop()
			return
		}
	}
}

// answer performs one request; ok is false for a request that is not
// one of the protocol's.
func (a *Agent) answer(req agentRequest) (resp agentResponse, ok bool) {
	switch req.Op {
	case opGet:
		item, err := a.get(req.Key)
		return a.result(&item, err), true
	case opSet:
		if req.Item == nil {
			return resp, false
		}
		return a.result(nil, a.file.Set(*req.Item)), true
	case opStatus:
		return agentResponse{Until: a.Until().UnixNano(), Dir: a.cfg.Dir, PID: os.Getpid()}, true
	case opRefresh:
		return a.refresh(req), true
	case opStop:
		return resp, true
	}
	return resp, false
}

func (a *Agent) result(item *Item, err error) agentResponse {
	switch {
	case errors.Is(err, ErrKeyNotFound):
		return agentResponse{NotFound: true}
	case err != nil:
		return agentResponse{Error: err.Error()}
	}
	return agentResponse{Item: item}
}

// refresh extends the lifetime, for a client that knows the passphrase.
func (a *Agent) refresh(req agentRequest) agentResponse {
	d := time.Duration(req.Seconds) * time.Second
	if d < MinAgentLifetime || d > MaxAgentLifetime {
		return agentResponse{Error: fmt.Sprintf("agent lifetime %v out of bounds (%v to %v)", d, MinAgentLifetime, MaxAgentLifetime)}
	}
	if subtle.ConstantTimeCompare([]byte(req.Passphrase), a.pass) != 1 {
		return agentResponse{Error: "that is not the passphrase the agent holds; it was left as it was"}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.timer.Reset(d)
	a.until = a.cfg.Now().Add(d)
	return agentResponse{Until: a.until.UnixNano()}
}

// get returns an item, decrypting its file only when the file changed
// since it was last decrypted.
func (a *Agent) get(key string) (Item, error) {
	f, id, err := a.file.openItem(key)
	if err != nil {
		a.forget(key)
		return Item{}, err
	}
	defer f.Close()
	if item, ok := a.cached(key, id); ok {
		return item, nil
	}
	token, err := a.file.readOpen(key, f)
	if err != nil {
		return Item{}, err
	}
	pw, _ := a.file.passphrase()
	item, err := a.file.decode(key, token, pw)
	if err != nil {
		return Item{}, err
	}
	a.remember(key, id, item)
	return item, nil
}

// cached returns a copy of the item decrypted from the file with this id.
func (a *Agent) cached(key string, id fileID) (Item, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	c := a.cache[key]
	if c == nil || c.id != id {
		return Item{}, false
	}
	item := c.item
	item.Data = append([]byte(nil), c.item.Data...)
	return item, true
}

func (a *Agent) remember(key string, id fileID, item Item) {
	data, free := lockedBytes(len(item.Data))
	copy(data, item.Data)
	c := &cachedItem{id: id, item: item, free: free}
	c.item.Data = data
	a.mu.Lock()
	defer a.mu.Unlock()
	if old := a.cache[key]; old != nil {
		old.free()
	}
	a.cache[key] = c
}

func (a *Agent) forget(key string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if old := a.cache[key]; old != nil {
		old.free()
		delete(a.cache, key)
	}
}
