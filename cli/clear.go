package cli

import (
	"context"
	"fmt"

	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/config"
	"github.com/awsvault/aws-vault/vault/keyring"
)

type clearOptions struct {
	ProfileName string
}

func configureClear(a *App) {
	opts := &clearOptions{}
	cmd := a.kp.Command("clear", "Delete cached sessions and SSO tokens, of one profile or all.")
	cmd.Arg("profile", "Name of the profile (all profiles when omitted).").HintAction(a.g.profileNames).StringVar(&opts.ProfileName)
	a.register(cmd, func(ctx context.Context) error { return runClear(ctx, a.g, opts) })
}

func runClear(_ context.Context, g *globalOptions, opts *clearOptions) error {
	kr, err := g.Keyring()
	if err != nil {
		return err
	}
	var n int
	if opts.ProfileName == "" {
		n, err = vault.ClearAll(kr, g.deps.Now)
	} else {
		n, err = clearProfile(g, kr, opts.ProfileName)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(g.deps.Stdout, "Cleared %d sessions.\n", n)
	return nil
}

func clearProfile(g *globalOptions, kr keyring.Keyring, profile string) (int, error) {
	cfg, err := g.ConfigFile()
	if err != nil {
		return 0, err
	}
	loader := &config.Loader{File: cfg, Getenv: g.deps.Getenv, ActiveProfile: profile}
	pc, err := loader.Load(profile)
	if err != nil {
		return 0, err
	}
	return vault.ClearProfile(kr, g.deps.Now, pc)
}
