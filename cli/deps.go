package cli

import (
	"io"
	"os"
	"strings"
	"time"

	"github.com/awsvault/aws-vault/cli/process"
	"github.com/awsvault/aws-vault/internal/coredump"
	"github.com/awsvault/aws-vault/internal/dbusguard"
	"github.com/awsvault/aws-vault/prompt"
	"golang.org/x/term"
)

// Deps is everything a command needs from the outside world. Only System
// touches the os package; tests build their own.
type Deps struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// StdoutIsTerminal and StderrIsTerminal tell whether the streams are
	// terminals (banners and prompt choice depend on it).
	StdinIsTerminal  bool
	StdoutIsTerminal bool
	StderrIsTerminal bool

	Getenv    func(string) string
	LookupEnv func(string) (string, bool)
	Environ   func() []string
	HomeDir   func() (string, error)
	Now       func() time.Time

	// OpenTTY opens the controlling terminal for prompts.
	OpenTTY prompt.TTYOpener
	// LookPath finds programs on PATH.
	LookPath func(string) (string, error)
	// MFATimeout bounds mfa_process, dialog prompts and ykman; zero means
	// prompt.DefaultTimeout (2 minutes).
	MFATimeout time.Duration
	// MinUnlock is the shortest unlock --for; zero means keyring's
	// MinAgentLifetime (a minute). Tests lower it.
	MinUnlock time.Duration
	// Runner starts the user's command.
	Runner process.Runner
	// Executable is the path of this program.
	Executable func() (string, error)

	// Version is printed by --version and --debug.
	Version string
}

// System returns the Deps of the running process.
func System() *Deps {
	// Before any secret is read: no core dumps, no same-user debuggers.
	limits := coredump.Disable()
	dbusguard.Restore()
	environ := os.Environ()
	env := envMap(environ)
	// aws-vault never reads AWS_PROFILE, and the AWS SDK's config loader
	// would insist on that profile existing in files we do not give it.
	// The file passphrase must not reach programs started with the process
	// environment (browsers, pass, gpg). The command exec runs and
	// credential_process still get both: Environ is the snapshot.
	os.Unsetenv("AWS_PROFILE")
	os.Unsetenv(filePassphraseVar)
	return &Deps{
		Stdin:            os.Stdin,
		Stdout:           os.Stdout,
		Stderr:           os.Stderr,
		StdinIsTerminal:  term.IsTerminal(int(os.Stdin.Fd())),
		StdoutIsTerminal: term.IsTerminal(int(os.Stdout.Fd())),
		StderrIsTerminal: term.IsTerminal(int(os.Stderr.Fd())),
		Getenv:           func(k string) string { return env[k] },
		LookupEnv:        func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		Environ:          func() []string { return environ },
		HomeDir:          os.UserHomeDir,
		Now:              time.Now,
		OpenTTY:          prompt.OpenDevTTY,
		LookPath:         process.LookPath,
		Runner:           process.System{Limits: limits},
		Executable:       os.Executable,
		Version:          Version,
	}
}

// Version is the program version, set at build time with
// -ldflags "-X github.com/awsvault/aws-vault/cli.Version=...".
var Version = "dev"

// filePassphraseVar holds the file backend's passphrase.
const filePassphraseVar = "AWS_VAULT_FILE_PASSPHRASE"

// envMap indexes KEY=value entries; the first entry of a key wins, as for
// getenv(3).
func envMap(environ []string) map[string]string {
	m := make(map[string]string, len(environ))
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		if _, dup := m[k]; !dup {
			m[k] = v
		}
	}
	return m
}

// withoutVar returns environ less the entries of key.
func withoutVar(environ []string, key string) []string {
	out := make([]string, 0, len(environ))
	for _, kv := range environ {
		if !strings.HasPrefix(kv, key+"=") {
			out = append(out, kv)
		}
	}
	return out
}
