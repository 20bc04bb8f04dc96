package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/config"
)

// credOptions are the flags shared by commands that get credentials.
type credOptions struct {
	ProfileName string
	Duration    time.Duration
	NoSession   bool
	Region      string
	MFAToken    string
	// loginTarget disables GetSessionToken for the target (login).
	loginTarget bool
}

// check refuses a bad --duration or --mfa-token before anything is read
// or asked, and normalises the token.
func (co *credOptions) check() error {
	if err := config.ValidateDuration(co.Duration); err != nil {
		return err
	}
	token, err := checkMFAToken(co.MFAToken)
	co.MFAToken = token
	return err
}

// resolveProfile loads the target profile with the command-line values
// applied to every profile of its chain.
func (g *globalOptions) resolveProfile(co credOptions) (*config.Profile, error) {
	if err := config.ValidateDuration(co.Duration); err != nil {
		return nil, err
	}
	cfg, err := g.ConfigFile()
	if err != nil {
		return nil, err
	}
	loader := &config.Loader{
		File:          cfg,
		Getenv:        g.deps.Getenv,
		ActiveProfile: co.ProfileName,
		// --duration does not set ChainedGetSessionTokenDuration: the session
		// a role is chained from keeps its own (8h) duration, as in aws-vault
		// v7; only AWS_CHAINED_SESSION_TOKEN_TTL changes it.
		Base: config.Profile{
			Region:                            co.Region,
			MFAToken:                          co.MFAToken,
			AssumeRoleDuration:                co.Duration,
			NonChainedGetSessionTokenDuration: co.Duration,
			GetFederationTokenDuration:        co.Duration,
		},
	}
	return loader.Load(co.ProfileName)
}

// newChain prepares the credential chain for a resolved profile.
func (g *globalOptions) newChain(co credOptions, p *config.Profile) (*vault.Chain, error) {
	kr, err := g.Keyring()
	if err != nil {
		return nil, err
	}
	locker, err := g.locker()
	if err != nil {
		return nil, err
	}
	processTimeout, err := g.envDuration("AWS_VAULT_PROCESS_TIMEOUT", vault.DefaultProcessTimeout, "1m")
	if err != nil {
		return nil, err
	}
	loader, err := g.awsLoader()
	if err != nil {
		return nil, err
	}
	return vault.NewChain(vault.ChainOptions{
		Keyring:            kr,
		AWS:                loader,
		MFA:                g.mfaSource(co.MFAToken),
		Now:                g.deps.Now,
		Logf:               g.logger.Printf,
		NoSession:          co.NoSession,
		NoSessionForTarget: co.loginTarget,
		ExpiryWindow:       config.ExpiryWindowFromEnv(g.deps.Getenv("AWS_MIN_TTL")),
		CacheRoles:         g.deps.Getenv("AWS_VAULT_CACHE_ROLES") != "0",
		ProcessTimeout:     processTimeout,
		Environ:            g.deps.Environ,
		Stdin:              g.deps.Stdin,
		Stderr:             g.deps.Stderr,
		Terminal:           g.deps.StdinIsTerminal,
		Lock:               locker.Lock,
	}, p)
}

// envDuration reads a positive Go duration from the environment variable
// name, or def when it is unset; example shows a good value in the error.
func (g *globalOptions) envDuration(name string, def time.Duration, example string) (time.Duration, error) {
	v := g.deps.Getenv(name)
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s: %q is not a positive duration such as %s", name, v, example)
	}
	return d, nil
}

// locker serialises fetching credentials across processes; its files live
// in ~/.awsvault/locks, whatever the keyring backend.
func (g *globalOptions) locker() (*vault.Locker, error) {
	home, err := g.deps.HomeDir()
	if err != nil {
		return nil, fmt.Errorf("finding the lock directory: %w", err)
	}
	timeout := vault.DefaultLockTimeout
	if v := g.deps.Getenv("AWS_VAULT_LOCK_TIMEOUT"); v != "" {
		if timeout, err = time.ParseDuration(v); err != nil || timeout <= 0 {
			return nil, fmt.Errorf("AWS_VAULT_LOCK_TIMEOUT: %q is not a positive duration such as 5m", v)
		}
	}
	return &vault.Locker{
		Dir:     filepath.Join(home, ".awsvault", "locks"),
		Timeout: timeout,
		Waiting: func(profile string, pid int) {
			fmt.Fprintf(g.deps.Stderr, "waiting for %s: another aws-vault (pid %d) is getting credentials\n", profile, pid)
		},
	}, nil
}

// configLock serialises writes of the config file across processes. The
// wait is short (a write), so it is not announced.
func (g *globalOptions) configLock() config.LockFunc {
	return func(ctx context.Context, name, what string) (func(), error) {
		locker, err := g.locker()
		if err != nil {
			return nil, err
		}
		locker.Waiting, locker.Doing = nil, "writing"
		return locker.Lock(ctx, name, what)
	}
}

// awsLoader builds SDK configuration for AWS calls, bounded by
// AWS_VAULT_AWS_TIMEOUT.
func (g *globalOptions) awsLoader() (*vault.AWSConfigLoader, error) {
	timeout, err := vault.ParseAWSTimeout(g.deps.Getenv(vault.AWSTimeoutVar))
	if err != nil {
		return nil, err
	}
	return &vault.AWSConfigLoader{Getenv: g.deps.Getenv, Logf: g.logger.Printf, Timeout: timeout}, nil
}

// getCredentials resolves the profile and gets its credentials, with
// failures worded as aws-vault's exec words them (Error loading config,
// Error getting temporary credentials, Failed to get credentials for),
// plus a hint for AWS refusals users can act on.
func (g *globalOptions) getCredentials(ctx context.Context, co credOptions) (*credentialsResult, error) {
	if err := co.check(); err != nil {
		return nil, err
	}
	p, err := g.resolveProfile(co)
	if err != nil {
		return nil, fmt.Errorf("Error loading config: %w", err)
	}
	if _, err := g.Keyring(); err != nil {
		return nil, err
	}
	chain, err := g.newChain(co, p)
	if err != nil {
		return nil, fmt.Errorf("Error getting temporary credentials: %w", err)
	}
	creds, err := chain.Retrieve(ctx)
	if err != nil {
		err = fmt.Errorf("Failed to get credentials for %s: %w", co.ProfileName, err)
		if hint := vault.Explain(err); hint != "" {
			err = withHint(err, hint)
		}
		return nil, err
	}
	return &credentialsResult{Profile: p, Creds: creds}, nil
}
