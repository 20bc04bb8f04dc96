//go:build linux

package keyring_test

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awsvault/aws-vault/vault/keyring"
	"github.com/awsvault/aws-vault/vault/keyring/keyringtest"
)

// agentFixture is a keyring directory with one item and an agent serving
// it in this process; Serve's result arrives on stopped.
type agentFixture struct {
	dir, socket string
	agent       *keyring.Agent
	stopped     chan string
	cancel      context.CancelFunc
}

func startAgent(t *testing.T, cfg keyring.AgentConfig) *agentFixture {
	t.Helper()
	f := &agentFixture{dir: t.TempDir(), stopped: make(chan string, 1)}
	f.socket = filepath.Join(keyringtest.ShortTempDir(t, "agt"), "aws-vault", "a.sock")
	if err := newFile(t, f.dir, "pw").Set(keyring.Item{Key: "item", Data: []byte("first")}); err != nil {
		t.Fatal(err)
	}
	cfg.Dir, cfg.Socket, cfg.Now = f.dir, f.socket, time.Now
	if cfg.Passphrase == nil {
		cfg.Passphrase = []byte("pw")
	}
	if cfg.Lifetime == 0 {
		cfg.Lifetime = time.Hour
	}
	a, err := keyring.StartAgent(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.agent = a
	ctx, cancel := context.WithCancel(context.Background())
	f.cancel = cancel
	go func() { f.stopped <- a.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-f.stopped:
		case <-time.After(10 * time.Second):
			t.Error("the agent did not stop")
		}
	})
	return f
}

// client is a file backend that must get everything from the agent.
func (f *agentFixture) client(t *testing.T) *keyring.File {
	return &keyring.File{Dir: f.dir, Now: time.Now, Agent: &keyring.AgentClient{Socket: f.socket},
		Passphrase: func() (string, error) { t.Error("the passphrase was asked for"); return "", errors.New("no") }}
}

func (f *agentFixture) waitStopped(t *testing.T, want string, within time.Duration) {
	t.Helper()
	select {
	case got := <-f.stopped:
		f.stopped <- got // for the cleanup
		if got != want {
			t.Fatalf("the agent stopped because %q, want %q", got, want)
		}
	case <-time.After(within):
		t.Fatalf("the agent still runs after %v", within)
	}
	if _, err := os.Lstat(f.socket); !errors.Is(err, os.ErrNotExist) && want != "socket removed" {
		t.Errorf("socket left behind: %v", err)
	}
}

// The agent serves items it decrypts itself, writes items the passphrase
// opens, and decrypts again when an item's file changes.
func TestAgentServesItems(t *testing.T) {
	f := startAgent(t, keyring.AgentConfig{})
	c := f.client(t)
	if item, err := c.Get("item"); err != nil || string(item.Data) != "first" {
		t.Fatalf("Get = %q, %v", item.Data, err)
	}
	if _, err := c.Get("missing"); !errors.Is(err, keyring.ErrKeyNotFound) {
		t.Fatalf("Get of a missing item = %v, want ErrKeyNotFound", err)
	}
	if err := c.Set(keyring.Item{Key: "new", Data: []byte("via agent")}); err != nil {
		t.Fatal(err)
	}
	if item, err := newFile(t, f.dir, "pw").Get("new"); err != nil || string(item.Data) != "via agent" {
		t.Fatalf("the agent's item read with the passphrase = %q, %v", item.Data, err)
	}
	// Another process replaces the item: the cached one is not served.
	if err := newFile(t, f.dir, "pw").Set(keyring.Item{Key: "item", Data: []byte("second")}); err != nil {
		t.Fatal(err)
	}
	if item, err := c.Get("item"); err != nil || string(item.Data) != "second" {
		t.Fatalf("Get after the file changed = %q, %v", item.Data, err)
	}
	if err := os.Remove(filepath.Join(f.dir, "item")); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get("item"); !errors.Is(err, keyring.ErrKeyNotFound) {
		t.Fatalf("Get of a removed item = %v, want ErrKeyNotFound", err)
	}
	st, err := os.Stat(filepath.Dir(f.socket))
	if err != nil || st.Mode().Perm() != 0o700 {
		t.Fatalf("agent directory mode %v (%v), want 0700", st.Mode(), err)
	}
}

// A wrong passphrase starts no agent.
func TestAgentWrongPassphrase(t *testing.T) {
	dir := t.TempDir()
	if err := newFile(t, dir, "pw").Set(keyring.Item{Key: "item", Data: []byte("d")}); err != nil {
		t.Fatal(err)
	}
	socket := filepath.Join(keyringtest.ShortTempDir(t, "agt"), "a.sock")
	_, err := keyring.StartAgent(keyring.AgentConfig{Dir: dir, Socket: socket, Passphrase: []byte("wrong"), Lifetime: time.Hour, Now: time.Now})
	if err == nil || !strings.Contains(err.Error(), "passphrase does not open") {
		t.Fatalf("StartAgent with a wrong passphrase = %v", err)
	}
	if _, err := os.Lstat(socket); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a socket was made: %v", err)
	}
}

// Without an agent the file backend uses the passphrase and says why in
// its debug log.
func TestFileWithoutAgentFallsBack(t *testing.T) {
	dir := t.TempDir()
	if err := newFile(t, dir, "pw").Set(keyring.Item{Key: "item", Data: []byte("d")}); err != nil {
		t.Fatal(err)
	}
	var logged []string
	k := newFile(t, dir, "pw")
	k.Agent = &keyring.AgentClient{Socket: filepath.Join(t.TempDir(), "none.sock")}
	k.Logf = func(format string, args ...any) { logged = append(logged, format) }
	if item, err := k.Get("item"); err != nil || string(item.Data) != "d" {
		t.Fatalf("Get = %q, %v", item.Data, err)
	}
	if len(logged) != 1 || k.Agent != nil {
		t.Fatalf("debug lines %q, agent %v: want one line and the agent dropped", logged, k.Agent)
	}
}

// frame is one protocol message as the wire carries it.
func frame(body string) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(body)))
	return append(b, body...)
}

// exchange writes raw bytes on a new connection and returns what comes
// back before the agent closes it (or 2 s pass).
func exchange(t *testing.T, socket string, raw []byte) []byte {
	t.Helper()
	conn, err := net.Dial("unix", socket)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := conn.Write(raw); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(conn)
	if err != nil {
		t.Fatalf("the agent kept the connection open after %q: %v", raw, err)
	}
	return got
}

// A malformed message closes its connection unanswered; the agent goes on
// serving others.
func TestAgentClosesOnGarbage(t *testing.T) {
	f := startAgent(t, keyring.AgentConfig{})
	huge := binary.BigEndian.AppendUint32(nil, 1<<20+1)
	for name, raw := range map[string][]byte{
		"not json":         frame("garbage\x00\xff"),
		"too long":         huge,
		"empty":            frame(""),
		"other version":    frame(`{"v":2,"op":"status"}`),
		"unknown op":       frame(`{"v":1,"op":"dump"}`),
		"set without item": frame(`{"v":1,"op":"set"}`),
	} {
		if got := exchange(t, f.socket, raw); len(got) != 0 {
			t.Errorf("%s: the agent answered %q", name, got)
		}
	}
	// A valid request still gets its answer, on a fresh connection.
	got := exchange(t, f.socket, append(frame(`{"v":1,"op":"get","key":"item"}`), frame("garbage")...))
	var resp struct {
		Item struct{ Data []byte }
	}
	if len(got) < 4 || json.Unmarshal(got[4:], &resp) != nil || string(resp.Item.Data) != "first" {
		t.Fatalf("answer %q, want the item", got)
	}
	if item, err := f.client(t).Get("item"); err != nil || string(item.Data) != "first" {
		t.Fatalf("after garbage, Get = %q, %v", item.Data, err)
	}
}

// The agent stops when its time is up, on stop (lock), on a signal and
// when its socket is removed, and forgets everything.
func TestAgentStops(t *testing.T) {
	t.Run("time", func(t *testing.T) {
		f := startAgent(t, keyring.AgentConfig{Lifetime: 300 * time.Millisecond})
		f.waitStopped(t, "time is up", 5*time.Second)
	})
	t.Run("lock", func(t *testing.T) {
		f := startAgent(t, keyring.AgentConfig{})
		c := &keyring.AgentClient{Socket: f.socket}
		defer c.Close()
		if err := c.Stop(); err != nil {
			t.Fatal(err)
		}
		f.waitStopped(t, "locked", 5*time.Second)
		if _, err := f.client(t).Agent.Get("item"); !errors.Is(err, keyring.ErrAgentUnreachable) {
			t.Fatalf("after lock, Get = %v, want ErrAgentUnreachable", err)
		}
	})
	t.Run("signal", func(t *testing.T) {
		f := startAgent(t, keyring.AgentConfig{})
		f.cancel()
		f.waitStopped(t, "signal", 5*time.Second)
	})
	t.Run("socket removed", func(t *testing.T) {
		f := startAgent(t, keyring.AgentConfig{PollInterval: 50 * time.Millisecond})
		if err := os.Remove(f.socket); err != nil {
			t.Fatal(err)
		}
		f.waitStopped(t, "socket removed", 5*time.Second)
	})
}

// Refresh extends the lifetime for the passphrase the agent holds only.
func TestAgentRefresh(t *testing.T) {
	f := startAgent(t, keyring.AgentConfig{Lifetime: 2 * time.Minute})
	c := &keyring.AgentClient{Socket: f.socket}
	defer c.Close()
	if _, err := c.Refresh(time.Hour, "wrong"); err == nil {
		t.Fatal("refresh with a wrong passphrase succeeded")
	}
	until, err := c.Refresh(time.Hour, "pw")
	if err != nil || time.Until(until) < 59*time.Minute {
		t.Fatalf("Refresh = %v, %v", until, err)
	}
	st, err := c.Status()
	if err != nil || !st.Until.Equal(until) || st.PID != os.Getpid() || st.Dir != f.dir {
		t.Fatalf("Status = %+v, %v", st, err)
	}
}

// A connection from another user is refused: the socket's directory keeps
// them out, and were it opened to them, the peer check closes their
// connection unanswered. Dropping privileges needs root (as CI runs).
func TestAgentRefusesOtherUser(t *testing.T) {
	if os.Getuid() != 0 {
		if keyringtest.RequireReal() {
			t.Fatal("this test drops privileges to nobody and must run as root")
		}
		t.Skip("needs root to connect as another user")
	}
	for _, prog := range []string{"setpriv", "/usr/bin/python3"} {
		if _, err := exec.LookPath(prog); err != nil {
			keyringtest.Unavailable(t, "file agent", prog+" is not installed")
		}
	}
	f := startAgent(t, keyring.AgentConfig{})
	asNobody := func() string {
		t.Helper()
		script := `import socket, struct, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(5)
try:
    s.connect(sys.argv[1])
except OSError as e:
    print("connect:", e.strerror); sys.exit()
body = b'{"v":1,"op":"get","key":"item"}'
try:
    s.sendall(struct.pack(">I", len(body)) + body)
    got = s.recv(65536)
except (ConnectionResetError, BrokenPipeError):
    got = b''
print("answer:", repr(got) if got else "closed")
`
		out, err := exec.Command("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
			"/usr/bin/python3", "-c", script, f.socket).CombinedOutput()
		if err != nil {
			t.Fatalf("python3 as nobody: %v: %s", err, out)
		}
		return strings.TrimSpace(string(out))
	}
	if got := asNobody(); got != "connect: Permission denied" {
		t.Fatalf("as nobody through the 0700 directory: %s", got)
	}
	// Open the way, as a careless chmod would: the peer check remains.
	for dir := filepath.Dir(f.socket); dir != os.TempDir(); dir = filepath.Dir(dir) {
		if err := os.Chmod(dir, 0o711); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(f.socket, 0o666); err != nil {
		t.Fatal(err)
	}
	if got := asNobody(); got != "answer: closed" {
		t.Fatalf("as nobody with the socket open to all: %s", got)
	}
	if item, err := f.client(t).Get("item"); err != nil || string(item.Data) != "first" {
		t.Fatalf("after the refusal, Get = %q, %v", item.Data, err)
	}
}

// A socket path longer than a Unix socket address holds (a deep
// XDG_RUNTIME_DIR or home) is refused with the path and the way out, not
// left for bind to fail on with "invalid argument".
func TestAgentSocketTooLong(t *testing.T) {
	deep := "/" + strings.Repeat("d", 90)
	_, err := keyring.AgentSocket(keyring.AgentDir(deep, ""), "/k")
	if err == nil || !strings.Contains(err.Error(), deep) || !strings.Contains(err.Error(), "XDG_RUNTIME_DIR") {
		t.Fatalf("AgentSocket under %s: %v; want an error naming the path and XDG_RUNTIME_DIR", deep, err)
	}
	socket, err := keyring.AgentSocket(keyring.AgentDir("/run/user/1000", ""), "/k")
	if err != nil || !strings.HasPrefix(socket, "/run/user/1000/aws-vault/agent-") {
		t.Fatalf("AgentSocket = %q, %v", socket, err)
	}
}
