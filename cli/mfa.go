package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/awsvault/aws-vault/internal/proc"
	"github.com/awsvault/aws-vault/prompt"
	"github.com/awsvault/aws-vault/vault"
)

// mfaSource supplies MFA codes in aws-vault's order: --mfa-token, then the
// profile's mfa_process, then the prompt driver (--prompt, or chosen by
// prompt.Select). A --mfa-token is used for one call only: AWS refuses a
// code it has seen, so a second MFA call in the chain asks for a fresh code
// instead of failing at AWS. Calls are serialised: one prompt at a time.
// Codes that are asked for go through guard, so that no process sends a
// code of a 30-second step whose code was already used. Without its lock
// directory the guard cannot work, and an MFA call is then an error
// (guardErr) rather than a call made unguarded.
type mfaSource struct {
	s        *session
	mu       sync.Mutex
	token    string
	guard    *vault.MFAStepGuard
	guardErr error
}

// newMFASource returns the MFA source of one command; token is
// --mfa-token.
func newMFASource(s *session, token string) *mfaSource {
	m := &mfaSource{s: s, token: token}
	locker, err := s.Locker()
	if err != nil {
		m.guardErr = err
		return m
	}
	m.guard = &vault.MFAStepGuard{Locker: locker, Now: s.Now, Sleep: vault.SleepContext,
		Notify: func(msg string) { s.report().Note(msg) }}
	return m
}

// MFAToken implements vault.MFATokenSource.
func (m *mfaSource) MFAToken(ctx context.Context, req vault.MFARequest) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.guardErr != nil {
		return "", fmt.Errorf("profile %s: MFA: %w", req.ProfileName, m.guardErr)
	}
	if m.token != "" {
		token := m.token
		m.token = ""
		if err := m.guard.RecordUsed(req.Serial); err != nil {
			return "", fmt.Errorf("profile %s: MFA: %w", req.ProfileName, err)
		}
		return token, nil
	}
	src := m.guard.Wrap(vault.MFATokenFunc(m.ask))
	err := m.preflight(req)
	var code string
	if err == nil {
		code, err = src.MFAToken(ctx, req)
	}
	switch {
	case err == nil:
		return code, nil
	case errors.Is(err, prompt.ErrNoTerminal):
		return "", noMFAPromptError{req: req, background: errors.Is(err, prompt.ErrNotForeground)}
	case errors.Is(err, context.Canceled):
		return "", err
	}
	return "", fmt.Errorf("profile %s: %w", req.ProfileName, err)
}

// preflight fails at once when the code could only be typed on a terminal
// and there is none, before any wait for a fresh 30-second step.
func (m *mfaSource) preflight(req vault.MFARequest) error {
	if req.Process != "" || m.driverName() != "terminal" {
		return nil
	}
	tty, err := m.s.OpenTTY()
	if err != nil {
		return err
	}
	return tty.Close()
}

func (m *mfaSource) driverName() string {
	return prompt.Select(m.s.flags.PromptDriver, prompt.Available(m.s.LookPath), m.s.StdoutIsTerminal)
}

// ask runs the profile's mfa_process, or else the prompt driver.
func (m *mfaSource) ask(ctx context.Context, req vault.MFARequest) (string, error) {
	opts := promptOptions(m.s)
	if req.Process != "" {
		return prompt.MFAProcess{
			OpenTTY: opts.OpenTTY, Runner: opts.Runner, Stderr: opts.Stderr, Timeout: opts.Timeout,
		}.Run(ctx, req.Process)
	}
	name := m.driverName()
	m.s.log.Printf("profile %s: asking for the MFA code for %s with the %s prompt", req.ProfileName, req.Serial, name)
	driver, err := prompt.New(name, opts)
	if err != nil {
		return "", err
	}
	return driver.MFACode(ctx, req.Serial)
}

// promptOptions connects the prompt drivers to the outside world. The
// programs they run (dialogs, ykman, mfa_process) never see the file
// keyring's passphrase.
func promptOptions(s *session) prompt.Options {
	return prompt.Options{
		OpenTTY: s.OpenTTY,
		Runner:  proc.System{Env: withoutVar(s.Environ(), filePassphraseVar)},
		Getenv:  s.Getenv,
		Stderr:  s.Stderr,
		Timeout: s.MFATimeout,
	}
}

// checkMFAToken checks --mfa-token as the prompts check an answer (six
// digits, spaces dropped) and returns the code to send, so a wrong value
// never reaches AWS. The value is never put in the error: it may be a
// secret pasted into the wrong flag, and it may be huge.
func checkMFAToken(token string) (string, error) {
	if token == "" {
		return "", nil
	}
	code, err := prompt.CheckCode(token)
	if err != nil {
		return "", fmt.Errorf("--mfa-token %w", err)
	}
	return code, nil
}

// noMFAPromptError is a code needed with no terminal to ask on: it fails at
// once, never reading stdin or waiting. v7.2.0 says only
// "open /dev/tty: no such device or address".
// With background set, there is a terminal but the command a credential
// server runs has its foreground.
type noMFAPromptError struct {
	req        vault.MFARequest
	background bool
}

func (e noMFAPromptError) Error() string {
	if e.background {
		return fmt.Sprintf("profile %s needs an MFA code for %s and aws-vault cannot ask on the terminal while the "+
			"command it runs has it: set mfa_process in the profile, or choose a dialog with --prompt", e.req.ProfileName, e.req.Serial)
	}
	return fmt.Sprintf("profile %s needs an MFA code for %s and there is no terminal to ask on: "+
		"pass --mfa-token, set mfa_process in the profile, or choose a dialog with --prompt", e.req.ProfileName, e.req.Serial)
}

func (e noMFAPromptError) Unwrap() []error {
	return []error{vault.ErrNoMFASource, prompt.ErrNoTerminal}
}

const passPromptRemoved = "--prompt=pass (or AWS_VAULT_PROMPT=pass) has been removed from aws-vault as using TOTPs without a dedicated device goes against security best practices. If you wish to continue using pass, add `mfa_process = pass otp <your mfa_serial>` to profiles in your ~/.aws/config file."

// validatePrompt checks --prompt / AWS_VAULT_PROMPT (driver) with
// aws-vault's exact messages, at parse time, before anything else happens.
func validatePrompt(driver string, lookPath func(string) (string, error)) error {
	if driver == "" {
		return nil
	}
	if driver == "pass" {
		return plainError{errors.New(passPromptRemoved)}
	}
	// Only the named driver is looked up: this runs on every call, and
	// credential_process makes many.
	if prompt.IsAvailable(driver, lookPath) {
		return nil
	}
	drivers := prompt.Available(lookPath)
	return fmt.Errorf("--prompt value must be one of %s, got '%s'", strings.Join(drivers, ","), driver)
}
