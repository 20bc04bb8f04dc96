// Package cli is the aws-vault command line: the kingpin command tree
// (this file), one file per command, the session the commands share
// (session.go: the keyring, config file and locker, each opened once), and
// the one place where errors become messages, hints and exit codes
// (exit.go). Commands orchestrate and print; AWS, config and keyring work
// lives in package vault and its vault/config and vault/keyring, which
// never print.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"

	"github.com/alecthomas/kingpin/v2"
	"github.com/awsvault/aws-vault/prompt"
	"github.com/awsvault/aws-vault/vault/keyring"
)

const appHelp = "A vault for securely storing and accessing AWS credentials in development environments."

// App is the command tree with the function that runs each command.
type App struct {
	kp   *kingpin.Application
	s    *session
	runs map[string]func(context.Context) error
}

// NewApp builds the command tree. Nothing is read or opened until a command
// runs.
func NewApp(deps *Deps) *App {
	kp := kingpin.New("aws-vault", appHelp)
	kp.Version(deps.Version)
	kp.Writer(deps.Stderr)
	kp.ErrorWriter(deps.Stderr)
	kp.UsageWriter(deps.Stderr)
	kp.UsageTemplate(usageTemplate())
	a := &App{kp: kp, s: &session{Deps: deps, flags: &globalFlags{}, log: log.New(io.Discard, "", 0)},
		runs: map[string]func(context.Context) error{}}
	configureGlobals(a)
	configureGenerators(kp)
	for _, configure := range []func(*App){
		configureAdd, configureRemove, configureList, configureRotate, configureExec,
		configureExport, configureClear, configureLogin, configureProxy, configureImport, configureAudit, configureDoctor,
		configureUnlock, configureLock, configureAgent,
	} {
		configure(a)
	}
	return a
}

// register attaches run to cmd's full name.
func (a *App) register(cmd *kingpin.CmdClause, run func(context.Context) error) {
	a.runs[cmd.FullCommand()] = run
}

// Model returns the kingpin model of the command tree, for tests.
func (a *App) Model() *kingpin.ApplicationModel { return a.kp.Model() }

// Main runs aws-vault with args and returns the exit status.
func Main(ctx context.Context, args []string, deps *Deps) (code int) {
	a := NewApp(deps)
	if words, ok := completionWords(args); ok {
		a.complete(words)
		return 0
	}
	if g := generator(args); g != nil {
		return a.runGenerator(g)
	}
	defer catchTerminate(&code)
	a.kp.Terminate(terminate)
	command, err := a.kp.Parse(args)
	if err != nil {
		return reportParseError(deps.Stderr, err)
	}
	a.s.setUpLogging()
	run := a.runs[command]
	if run == nil {
		return reportParseError(deps.Stderr, fmt.Errorf("expected command but got %q", command))
	}
	err = run(ctx)
	// A context a signal cancelled ends aws-vault with the signal's status.
	var sig signalError
	if errors.Is(err, context.Canceled) && errors.As(context.Cause(ctx), &sig) {
		err = sig
	}
	return reportError(deps.Stderr, command, err)
}

func configureGlobals(a *App) {
	g, kp := a.s.flags, a.kp
	kp.Flag("debug", "Show debugging output on stderr.").BoolVar(&g.Debug)
	backends := keyring.AvailableBackends()
	kp.Flag("backend", "Keyring backend: wincred, keychain, secret-service, kwallet, keyctl, pass or file, as this machine offers (default: the first that opens).").
		Envar("AWS_VAULT_BACKEND").EnumVar(&g.Backend, backends...)
	// The drivers present are looked up only when --prompt is used, not at
	// every start (credential_process runs aws-vault on every AWS call).
	kp.Flag("prompt", "Prompt driver for MFA codes: terminal, or kdialog, osascript, wincredui, ykman or zenity where installed.").
		Envar("AWS_VAULT_PROMPT").HintAction(func() []string { return prompt.Available(a.s.LookPath) }).StringVar(&g.PromptDriver)
	kp.Flag("keychain", "Name of the macOS keychain to use; created on first write.").
		Default(keyring.DefaultKeychainName).Envar("AWS_VAULT_KEYCHAIN_NAME").StringVar(&g.KeychainName)
	kp.Flag("secret-service-collection", "Name of the Secret Service collection to use; created on first write.").
		Default(keyring.DefaultSecretServiceCollection).Envar("AWS_VAULT_SECRET_SERVICE_COLLECTION_NAME").StringVar(&g.SecretServiceCollection)
	kp.Flag("pass-dir", "Password store directory of the pass backend.").
		Envar("AWS_VAULT_PASS_PASSWORD_STORE_DIR").StringVar(&g.PassDir)
	kp.Flag("pass-cmd", "Program the pass backend runs.").
		Envar("AWS_VAULT_PASS_CMD").StringVar(&g.PassCmd)
	kp.Flag("pass-prefix", "Folder inside the password store for aws-vault's items.").
		Envar("AWS_VAULT_PASS_PREFIX").StringVar(&g.PassPrefix)
	kp.Flag("file-dir", "Directory of the file backend.").
		Default("~/.awsvault/keys/").Envar("AWS_VAULT_FILE_DIR").StringVar(&g.FileDir)
	kp.Flag("keyctl-scope", "Kernel keyring the keyctl backend uses: user, session, process or thread.").
		Default("user").Envar("AWS_VAULT_KEYCTL_SCOPE").EnumVar(&g.KeyctlScope, "user", "session", "process", "thread")
	kp.Validate(func(*kingpin.Application) error { return validatePrompt(g.PromptDriver, a.s.LookPath) })
}
