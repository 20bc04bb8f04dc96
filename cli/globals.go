package cli

import (
	"context"
	"errors"
	"fmt"
	"log"
	"path/filepath"
	"strings"

	"github.com/awsvault/aws-vault/prompt"
	"github.com/awsvault/aws-vault/vault/config"
	"github.com/awsvault/aws-vault/vault/keyring"
)

// globalOptions holds the global flags and the lazily opened keyring and
// config file shared by all commands.
type globalOptions struct {
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

	deps   *Deps
	logger *log.Logger
	// ctx is the command's context, for prompts asked from inside the
	// keyring (the file backend's passphrase).
	ctx context.Context

	keyring     keyring.Keyring
	backendName string
	config      *config.File
}

// Keyring opens the keyring backend once per process.
func (g *globalOptions) Keyring() (keyring.Keyring, error) {
	if g.keyring != nil {
		return g.keyring, nil
	}
	dir, err := g.fileDir()
	if err != nil {
		return nil, err
	}
	kr, name, err := keyring.Open(keyring.Config{
		Backend:                 g.Backend,
		FileDir:                 dir,
		FilePassphrase:          g.filePassphrase(dir),
		KeychainName:            g.KeychainName,
		SecretServiceCollection: g.SecretServiceCollection,
		PassDir:                 g.PassDir,
		PassCmd:                 g.PassCmd,
		PassPrefix:              g.PassPrefix,
		KeyctlScope:             g.KeyctlScope,
		Now:                     g.deps.Now,
		Getenv:                  g.deps.Getenv,
		LookPath:                g.deps.LookPath,
		HomeDir:                 g.deps.HomeDir,
		Logf:                    g.logger.Printf,
	})
	if err != nil {
		return nil, err
	}
	g.logger.Printf("using keyring backend %s", name)
	g.keyring, g.backendName = kr, name
	return kr, nil
}

// fileDir expands a leading "~/" of --file-dir.
func (g *globalOptions) fileDir() (string, error) {
	dir := g.FileDir
	rest, ok := strings.CutPrefix(dir, "~/")
	if !ok && dir != "~" {
		return dir, nil
	}
	home, err := g.deps.HomeDir()
	if err != nil {
		return "", fmt.Errorf("--file-dir %s: %w", dir, err)
	}
	return filepath.Join(home, rest), nil
}

// filePassphrase returns the file backend's passphrase source:
// AWS_VAULT_FILE_PASSPHRASE when defined (even empty, as aws-vault), else a
// prompt on the terminal, asked twice for a keyring with no items yet (a
// typo there would lock the first key away).
func (g *globalOptions) filePassphrase(dir string) func() (string, error) {
	return func() (string, error) {
		if pw, ok := g.deps.LookupEnv(filePassphraseVar); ok {
			return pw, nil
		}
		unlock, err := g.lockTerminal()
		if err != nil {
			return "", err
		}
		defer unlock()
		term := g.terminal()
		pw, err := term.PassphraseContext(g.ctx, fmt.Sprintf("Enter passphrase to unlock %q: ", dir))
		if errors.Is(err, prompt.ErrNoTerminal) {
			return "", errors.New("the file keyring needs a passphrase: set AWS_VAULT_FILE_PASSPHRASE or run from a terminal")
		}
		if err != nil || !keyring.FileIsEmpty(dir) {
			return pw, err
		}
		again, err := term.PassphraseContext(g.ctx, "Enter the same passphrase again: ")
		if err == nil && again != pw {
			err = errors.New("the two passphrases differ; nothing was stored")
		}
		return pw, err
	}
}

// lockTerminal lets one aws-vault at a time prompt on the terminal, so that
// parallel callers (credential_process) do not fight over echo.
func (g *globalOptions) lockTerminal() (func(), error) {
	locker, err := g.locker()
	if err != nil {
		return nil, err
	}
	return locker.Lock(g.ctx, "terminal-prompt", "the terminal")
}

func (g *globalOptions) terminal() prompt.Terminal {
	return prompt.Terminal{Open: g.deps.OpenTTY}
}

// ConfigFile loads the config file once per process.
func (g *globalOptions) ConfigFile() (*config.File, error) {
	if g.config != nil {
		return g.config, nil
	}
	home, err := g.deps.HomeDir()
	if err != nil && g.deps.Getenv("AWS_CONFIG_FILE") == "" {
		return nil, fmt.Errorf("finding the config file: %w", err)
	}
	cfg, err := config.LoadFile(config.FilePath(g.deps.Getenv, home))
	if err != nil {
		return nil, err
	}
	g.config = cfg
	return cfg, nil
}

// profileNames lists config profiles for shell completion.
func (g *globalOptions) profileNames() []string {
	cfg, err := g.ConfigFile()
	if err != nil {
		return nil
	}
	return cfg.ProfileNames()
}

// warnFileFallback tells the user, on stderr, where a new key went when
// that needs saying: in the encrypted file keyring because no system
// keyring opened (automatic selection), or in a kernel keyring that the
// kernel empties (keyctl). add calls it; other commands stay quiet.
func (g *globalOptions) warnFileFallback() error {
	if g.backendName == keyring.KeyctlBackend {
		scope := g.KeyctlScope
		if scope == "" {
			scope = "user"
		}
		fmt.Fprintf(g.deps.Stderr, "aws-vault: warning: the keyctl backend keeps keys in the kernel's %s keyring, %s\n",
			scope, keyring.KeyctlLifetime(scope))
		return nil
	}
	if g.Backend != "" || g.backendName != keyring.FileBackend {
		return nil
	}
	dir, err := g.fileDir()
	if err != nil {
		return err
	}
	fmt.Fprintf(g.deps.Stderr, "aws-vault: note: no system keyring could be opened; the key is in the encrypted file keyring in %s\n", dir)
	return nil
}
