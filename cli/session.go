package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"path/filepath"
	"strings"

	"github.com/awsvault/aws-vault/prompt"
	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/config"
	"github.com/awsvault/aws-vault/vault/keyring"
)

// globalFlags are the flags every command takes.
type globalFlags struct {
	Debug                   bool
	Backend                 string
	PromptDriver            string
	KeychainName            string
	SecretServiceCollection string
	PassDir                 string
	PassCmd                 string
	PassPrefix              string
	FileDir                 string
	KeyctlScope             string
}

// session is what the commands of one run share: the outside world (Deps),
// the global flags, the debug log, and what is opened at most once, when a
// command first needs it: the keyring and the config file. It holds no
// context: whatever may prompt or wait takes the command's.
type session struct {
	*Deps
	flags *globalFlags
	log   *log.Logger

	keyring keyring.Keyring
	backend string // the backend the keyring was opened with
	config  *config.File
}

// Keyring opens the keyring backend once per process. A passphrase the
// file backend asks for later is asked under ctx.
func (s *session) Keyring(ctx context.Context) (keyring.Keyring, error) {
	if s.keyring != nil {
		return s.keyring, nil
	}
	dir, err := s.fileDir()
	if err != nil {
		return nil, err
	}
	kr, name, err := keyring.Open(s.keyringConfig(dir, s.filePassphrase(ctx, dir)))
	if err != nil {
		return nil, err
	}
	s.log.Printf("using keyring backend %s", name)
	s.keyring, s.backend = kr, name
	return kr, nil
}

// keyringConfig is the keyring configuration of the global flags, with
// the file backend's passphrase from passphrase.
func (s *session) keyringConfig(dir string, passphrase func() (string, error)) keyring.Config {
	f := s.flags
	var socket string
	if keyring.AgentOffered && (f.Backend == "" || f.Backend == keyring.FileBackend) {
		var err error
		if _, socket, err = s.agentSocket(); err != nil {
			s.log.Printf("no keyring agent: %v", err)
			socket = ""
		}
	}
	return keyring.Config{
		Backend:                 f.Backend,
		FileDir:                 dir,
		FilePassphrase:          passphrase,
		FileAgentSocket:         socket,
		KeychainName:            f.KeychainName,
		SecretServiceCollection: f.SecretServiceCollection,
		PassDir:                 f.PassDir,
		PassCmd:                 f.PassCmd,
		PassPrefix:              f.PassPrefix,
		KeyctlScope:             f.KeyctlScope,
		Now:                     s.Now,
		Getenv:                  s.Getenv,
		LookPath:                s.LookPath,
		HomeDir:                 s.HomeDir,
		Logf:                    s.log.Printf,
	}
}

// Store is the keyring (opened as Keyring opens it) as aws-vault's items.
func (s *session) Store(ctx context.Context) (*vault.Store, error) {
	kr, err := s.Keyring(ctx)
	if err != nil {
		return nil, err
	}
	return &vault.Store{Keyring: kr, Now: s.Now, Logf: s.log.Printf}, nil
}

// Config loads the config file once per process.
func (s *session) Config() (*config.File, error) {
	if s.config != nil {
		return s.config, nil
	}
	home, err := s.HomeDir()
	if err != nil && s.Getenv("AWS_CONFIG_FILE") == "" {
		return nil, fmt.Errorf("finding the config file: %w", err)
	}
	cfg, err := config.LoadFile(config.FilePath(s.Getenv, home))
	if err != nil {
		return nil, err
	}
	s.config = cfg
	return cfg, nil
}

// Locker serialises fetching credentials across processes; its files live
// in ~/.awsvault/locks, whatever the keyring backend.
func (s *session) Locker() (*vault.Locker, error) {
	home, err := s.HomeDir()
	if err != nil {
		return nil, fmt.Errorf("finding the lock directory: %w", err)
	}
	timeout, err := config.EnvDuration("AWS_VAULT_LOCK_TIMEOUT", s.Getenv("AWS_VAULT_LOCK_TIMEOUT"), vault.DefaultLockTimeout, "5m")
	if err != nil {
		return nil, err
	}
	return &vault.Locker{
		Dir:     filepath.Join(home, ".awsvault", "locks"),
		Timeout: timeout,
		Waiting: func(profile string, pid int) {
			fmt.Fprintf(s.Stderr, "waiting for %s: another aws-vault (pid %d) is getting credentials\n", profile, pid)
		},
	}, nil
}

// configLock serialises writes of the config file across processes. The
// wait is short (a write), so it is not announced.
func (s *session) configLock() config.LockFunc {
	return func(ctx context.Context, name, what string) (func(), error) {
		locker, err := s.Locker()
		if err != nil {
			return nil, err
		}
		locker.Waiting, locker.Doing = nil, "writing"
		return locker.Lock(ctx, name, what)
	}
}

// fileDir expands a leading "~/" of --file-dir.
func (s *session) fileDir() (string, error) {
	dir := s.flags.FileDir
	rest, ok := strings.CutPrefix(dir, "~/")
	if !ok && dir != "~" {
		return dir, nil
	}
	home, err := s.HomeDir()
	if err != nil {
		return "", fmt.Errorf("--file-dir %s: %w", dir, err)
	}
	return filepath.Join(home, rest), nil
}

// filePassphrase returns the file backend's passphrase source:
// AWS_VAULT_FILE_PASSPHRASE when defined (even empty, as aws-vault), else a
// prompt on the terminal, asked twice for a keyring with no items yet (a
// typo there would lock the first key away). Parallel aws-vault processes
// take turns at the terminal, so that they do not fight over echo.
func (s *session) filePassphrase(ctx context.Context, dir string) func() (string, error) {
	return func() (string, error) {
		if pw, ok := s.LookupEnv(filePassphraseVar); ok {
			return pw, nil
		}
		locker, err := s.Locker()
		if err != nil {
			return "", err
		}
		unlock, err := locker.Lock(ctx, "terminal-prompt", "the terminal")
		if err != nil {
			return "", err
		}
		defer unlock()
		term := prompt.Terminal{Open: s.OpenTTY}
		pw, err := term.PassphraseContext(ctx, fmt.Sprintf("Enter passphrase to unlock %q: ", dir))
		if errors.Is(err, prompt.ErrNoTerminal) {
			return "", errNoPassphraseSource
		}
		if err != nil || !keyring.FileIsEmpty(dir) {
			return pw, err
		}
		again, err := term.PassphraseContext(ctx, "Enter the same passphrase again: ")
		if err == nil && again != pw {
			err = errors.New("the two passphrases differ; nothing was stored")
		}
		return pw, err
	}
}

// errNoPassphraseSource is a file keyring that needs its passphrase where
// nothing can give it: no variable, no agent, no terminal.
var errNoPassphraseSource = func() error {
	if keyring.AgentOffered {
		return errors.New("the file keyring is locked and needs a passphrase: run aws-vault unlock, set AWS_VAULT_FILE_PASSPHRASE, or run from a terminal")
	}
	return errors.New("the file keyring needs a passphrase: set AWS_VAULT_FILE_PASSPHRASE or run from a terminal")
}()

// report is the session's reporter.
func (s *session) report() printed { return printed{s.Stdout, s.Stderr} }

// setUpLogging sends Go log output (ours and the keyring library's) to
// stderr with --debug, and discards it otherwise.
func (s *session) setUpLogging() {
	var w io.Writer = io.Discard
	if s.flags.Debug {
		w = s.Stderr
	}
	log.SetOutput(w)
	s.log = log.New(w, "", log.LstdFlags)
	keyring.SetDebug(s.flags.Debug)
	s.log.Printf("aws-vault %s", s.Version)
}
