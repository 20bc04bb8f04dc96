package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/awsvault/aws-vault/prompt"
	"github.com/awsvault/aws-vault/vault"
)

// mfaProcessTimeout bounds mfa_process: long enough to find a device.
const mfaProcessTimeout = 2 * time.Minute

// mfaSource supplies MFA codes in aws-vault's order: --mfa-token, then the
// profile's mfa_process, then the prompt driver. A --mfa-token is used for
// one call only: AWS refuses a code it has seen, so a second MFA call in the
// chain asks for a fresh code instead of failing at AWS.
type mfaSource struct {
	g     *globalOptions
	token string
}

func (g *globalOptions) mfaSource(token string) *mfaSource {
	return &mfaSource{g: g, token: token}
}

func (m *mfaSource) MFAToken(ctx context.Context, req vault.MFARequest) (string, error) {
	if m.token != "" {
		token := m.token
		m.token = ""
		return token, nil
	}
	if req.Process != "" {
		return prompt.MFAProcess{
			OpenTTY: m.g.deps.OpenTTY, Environ: m.g.deps.Environ(), Stderr: m.g.deps.Stderr, Timeout: mfaProcessTimeout,
		}.Run(ctx, req.Process)
	}
	code, err := m.g.terminal().Ask(fmt.Sprintf("Enter MFA code for %s: ", req.Serial))
	if errors.Is(err, prompt.ErrNoTerminal) {
		return "", fmt.Errorf("profile %s needs an MFA code for %s and there is no terminal to ask on: pass --mfa-token, set mfa_process in the profile, or choose a --prompt driver", req.ProfileName, req.Serial)
	}
	return code, err
}

const passPromptRemoved = "--prompt=pass (or AWS_VAULT_PROMPT=pass) has been removed from aws-vault as using TOTPs without a dedicated device goes against security best practices. If you wish to continue using pass, add `mfa_process = pass otp <your mfa_serial>` to profiles in your ~/.aws/config file."

func validatePrompt(g *globalOptions) error {
	if g.PromptDriver == "" {
		return nil
	}
	if g.PromptDriver == "pass" {
		return plainError{errors.New(passPromptRemoved)}
	}
	drivers := prompt.Available(g.deps.LookPath)
	if !slices.Contains(drivers, g.PromptDriver) {
		return fmt.Errorf("--prompt value must be one of %s, got '%s'", strings.Join(drivers, ","), g.PromptDriver)
	}
	return nil
}
