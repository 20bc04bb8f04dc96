package keyring

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"time"

	lib "github.com/99designs/keyring"
)

// The keyring identity aws-vault v7 uses (its cli/global.go): the service
// name, keychain and collection names, and the backend names --backend
// takes. Items stored under them are found by both.
const (
	ServiceName                    = "aws-vault"
	DefaultKeychainName            = "aws-vault"
	DefaultSecretServiceCollection = "awsvault"
	FileBackend                    = "file"
	KeyctlBackend                  = "keyctl"
	PassBackend                    = "pass"
	SecretServiceBackend           = "secret-service"
	KWalletBackend                 = "kwallet"
	KeychainBackend                = "keychain"
	WinCredBackend                 = "wincred"
)

// DefaultPromptTimeout bounds the wait for a desktop prompt the Secret
// Service shows (to create or unlock a collection): long enough to type a
// new keyring password twice, short enough that a machine where no prompt
// can appear gets an error rather than a hang.
const DefaultPromptTimeout = 30 * time.Second

// ErrNeedsPrompt is an operation that needs a desktop prompt when
// Config.NoPrompt forbids one.
var ErrNeedsPrompt = errors.New("unlocking it needs a desktop prompt")

// ErrNotStarted is a backend whose service is not running and that a
// read-only open (Config.ReadOnly) does not start: D-Bus would start it on
// demand for any other open. It ends the automatic choice: that backend is
// the one aws-vault would use.
var ErrNotStarted = errors.New("not running")

// autoOrder is aws-vault's backend preference. keyctl is skipped when
// choosing automatically: its keys vanish at reboot, and choosing it
// silently would hide keys stored elsewhere.
var autoOrder = []string{WinCredBackend, KeychainBackend, SecretServiceBackend, KWalletBackend, PassBackend, FileBackend}

// Config selects and configures a keyring backend.
type Config struct {
	// Backend is the backend to open; "" chooses automatically.
	Backend        string
	FileDir        string
	FilePassphrase func() (string, error)
	// FileAgentSocket, when set, is the socket of the agent the file
	// backend asks first (AgentSocket).
	FileAgentSocket         string
	KeychainName            string
	SecretServiceCollection string
	PassDir                 string
	PassCmd                 string
	PassPrefix              string
	// KeyctlScope is the kernel keyring keyctl uses: user (the default),
	// session, process or thread.
	KeyctlScope string
	// PromptTimeout bounds the wait for a Secret Service prompt; 0 means
	// DefaultPromptTimeout.
	PromptTimeout time.Duration
	// NoPrompt makes what would need a desktop prompt (a locked Secret
	// Service collection) fail with ErrNeedsPrompt instead of showing one.
	NoPrompt bool
	// ReadOnly opens a backend to read it only: nothing is created or
	// started to open it (keyctl's aws-vault keyring, when missing, is an
	// empty keyring that cannot be written; a Secret Service D-Bus would
	// start on demand is ErrNotStarted).
	ReadOnly bool
	Now      func() time.Time

	// Getenv, LookPath and HomeDir default to the os and os/exec ones.
	Getenv   func(string) string
	LookPath func(string) (string, error)
	HomeDir  func() (string, error)
	// Logf, when set, receives debug lines: the backends automatic
	// selection skipped, and why.
	Logf func(format string, args ...any)
}

func (cfg Config) withDefaults() Config {
	if cfg.Getenv == nil {
		cfg.Getenv = os.Getenv
	}
	if cfg.LookPath == nil {
		cfg.LookPath = exec.LookPath
	}
	if cfg.HomeDir == nil {
		cfg.HomeDir = os.UserHomeDir
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	if cfg.PromptTimeout <= 0 {
		cfg.PromptTimeout = DefaultPromptTimeout
	}
	if cfg.KeyctlScope == "" {
		cfg.KeyctlScope = "user"
	}
	return cfg
}

// KeyctlLifetime says how long keys last in a keyctl scope's keyring, for
// the warning add prints: the kernel keeps them in memory only.
func KeyctlLifetime(scope string) string {
	switch scope {
	case "session":
		return "which is emptied at logout and at reboot"
	case "process", "thread":
		return "which is emptied when aws-vault exits: the key is not kept"
	}
	return "which is emptied at reboot"
}

// AvailableBackends lists the backends this build and machine offer, in
// aws-vault's order. secret-service and kwallet appear only when a D-Bus
// session bus answered at start-up.
func AvailableBackends() []string {
	var out []string
	for _, b := range lib.AvailableBackends() {
		out = append(out, string(b))
	}
	if !slices.Contains(out, FileBackend) {
		out = append(out, FileBackend)
	}
	return out
}

// Open opens the configured backend, or the first one that opens in
// aws-vault's order. It returns the backend's name with it. A backend named
// in cfg.Backend that cannot open is an error saying why, and which
// backends this machine can open instead.
func Open(cfg Config) (Keyring, string, error) {
	cfg = cfg.withDefaults()
	if cfg.Backend != "" {
		kr, err := openBackend(cfg, cfg.Backend)
		if errors.Is(err, ErrNotStarted) {
			return nil, cfg.Backend, fmt.Errorf("backend %s: %w", cfg.Backend, err)
		}
		if err != nil {
			return nil, "", fmt.Errorf("keyring backend %s is not available: %w (this machine offers: %s)",
				cfg.Backend, err, strings.Join(openable(cfg, cfg.Backend), ", "))
		}
		return kr, cfg.Backend, nil
	}
	var errs []error
	for _, b := range autoOrder {
		if !slices.Contains(AvailableBackends(), b) {
			continue
		}
		kr, err := autoOpen(cfg, b)
		if err == nil {
			return kr, b, nil
		}
		if errors.Is(err, ErrNotStarted) {
			return nil, b, fmt.Errorf("backend %s: %w", b, err)
		}
		cfg.Logf("keyring backend %s skipped: %v", b, err)
		errs = append(errs, fmt.Errorf("%s: %w", b, err))
	}
	return nil, "", fmt.Errorf("no keyring backend could be opened: %w", errors.Join(errs...))
}

// autoOpen opens a backend for automatic selection, which is stricter than
// naming it: pass must have an initialised store, or every machine with
// pass installed but unused would hide its file keyring behind an empty
// password store.
func autoOpen(cfg Config, name string) (Keyring, error) {
	if name == PassBackend {
		if err := newPassStore(cfg).ready(); err != nil {
			return nil, err
		}
	}
	return openBackend(cfg, name)
}

func openBackend(cfg Config, name string) (Keyring, error) {
	if !slices.Contains(AvailableBackends(), name) {
		if name == SecretServiceBackend || name == KWalletBackend {
			// Not offered because the D-Bus probe found no bus: say why.
			if err := probe(cfg, name); err != nil {
				return nil, err
			}
		}
		return nil, fmt.Errorf("this build has no %s backend on %s", name, runtime.GOOS)
	}
	switch name {
	case FileBackend:
		f := &File{Dir: cfg.FileDir, Passphrase: cfg.FilePassphrase, Now: cfg.Now, Logf: cfg.Logf}
		if cfg.FileAgentSocket != "" && AgentOffered {
			f.Agent = &AgentClient{Socket: cfg.FileAgentSocket}
		}
		return f, nil
	case PassBackend:
		return openPass(cfg)
	case KeyctlBackend:
		return openKeyctl(cfg)
	case SecretServiceBackend:
		return openSecretService(cfg)
	case KWalletBackend:
		return openKWallet(cfg)
	case KeychainBackend:
		return openKeychain(cfg)
	case WinCredBackend:
		return openWinCred(cfg)
	}
	return openLibrary(cfg, name, lib.Config{})
}

// openable lists the backends, other than except, whose preconditions hold
// on this machine: the ones worth suggesting instead.
func openable(cfg Config, except string) []string {
	var out []string
	for _, b := range AvailableBackends() {
		if b != except && probe(cfg, b) == nil {
			out = append(out, b)
		}
	}
	return out
}

// probe checks a backend's preconditions without opening or creating
// anything.
func probe(cfg Config, name string) error {
	switch name {
	case PassBackend:
		return newPassStore(cfg).usable()
	case KeyctlBackend:
		return probeKeyctl(cfg)
	case SecretServiceBackend:
		return probeSecretService(cfg)
	case KWalletBackend:
		return probeKWallet(cfg)
	}
	return nil
}

// SetDebug turns the keyring library's own debug log (--debug) on or off.
func SetDebug(on bool) { lib.Debug = on }

// openLibrary opens a backend of github.com/99designs/keyring with
// aws-vault v7's fixed settings (its cli/global.go: the service name is
// the KWallet app and folder and the wincred prefix too) plus extra.
func openLibrary(cfg Config, name string, extra lib.Config) (lib.Keyring, error) {
	c := extra
	c.AllowedBackends = []lib.BackendType{lib.BackendType(name)}
	c.ServiceName = ServiceName
	c.KeychainName = cfg.KeychainName
	c.LibSecretCollectionName = cfg.SecretServiceCollection
	c.KWalletAppID = ServiceName
	c.KWalletFolder = ServiceName
	c.PassDir = cfg.PassDir
	c.PassCmd = cfg.PassCmd
	c.PassPrefix = cfg.PassPrefix
	c.WinCredPrefix = ServiceName
	c.FilePasswordFunc = func(string) (string, error) { return cfg.FilePassphrase() }
	c.FileDir = cfg.FileDir
	kr, err := lib.Open(c)
	if errors.Is(err, lib.ErrNoAvailImpl) {
		// The library logs its opener's error only with --debug.
		return nil, errors.New("the keyring library could not open it (--debug shows its reason)")
	}
	return kr, err
}

// BackendState says whether a backend can be opened on this machine.
type BackendState struct {
	Name string
	// Err says why it cannot; nil when its preconditions hold.
	Err error
}

// Backends checks every backend aws-vault knows, in its order of
// preference (keyctl last: it is never chosen automatically), without
// opening or creating anything.
func Backends(cfg Config) []BackendState {
	cfg = cfg.withDefaults()
	var out []BackendState
	for _, b := range append(slices.Clone(autoOrder), KeyctlBackend) {
		st := BackendState{Name: b}
		switch {
		case slices.Contains(AvailableBackends(), b):
			st.Err = probe(cfg, b)
		case b == SecretServiceBackend || b == KWalletBackend:
			if st.Err = probe(cfg, b); st.Err == nil {
				st.Err = errors.New("no D-Bus session bus answered")
			}
		default:
			st.Err = fmt.Errorf("this build has no %s backend on %s", b, runtime.GOOS)
		}
		out = append(out, st)
	}
	return out
}
