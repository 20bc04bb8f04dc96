package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/alecthomas/kingpin/v2"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/config"
	"github.com/awsvault/aws-vault/vault/keyring"
)

// credFlags are the flags of the commands that get credentials for a
// profile (exec, export, login), each declared once here. Their help
// differs between exec and export, which hand the credentials out, and
// login, which opens the console; login also lists them in another order.
type credFlags struct {
	Duration  time.Duration
	NoSession bool
	Region    string
	MFAToken  string
	// SSOStdout prints an SSO sign-in's URL instead of opening a browser
	// (exec's and export's --stdout; login's, which also prints the
	// console URL).
	SSOStdout bool
}

func (f *credFlags) duration(cmd *kingpin.CmdClause, help string) {
	cmd.Flag("duration", help).Short('d').DurationVar(&f.Duration)
}

func (f *credFlags) noSession(cmd *kingpin.CmdClause, help string) {
	cmd.Flag("no-session", help).Short('n').BoolVar(&f.NoSession)
}

func (f *credFlags) region(cmd *kingpin.CmdClause, help string) {
	cmd.Flag("region", help).StringVar(&f.Region)
}

func (f *credFlags) mfaToken(cmd *kingpin.CmdClause) {
	cmd.Flag("mfa-token", "MFA code to use instead of asking for one.").Short('t').StringVar(&f.MFAToken)
}

// bind declares the four flags as exec and export have them.
func (f *credFlags) bind(cmd *kingpin.CmdClause) {
	f.duration(cmd, "Duration of the temporary credentials, e.g. 1h (at least 15m).")
	f.noSession(cmd, "Use the stored key without GetSessionToken (roles are still assumed).")
	f.region(cmd, "AWS region for every profile of the chain.")
	f.mfaToken(cmd)
}

// ssoStdoutFlag declares exec's and export's --stdout. It acts only in an
// SSO sign-in (the device code flow, its URL and code on stderr);
// elsewhere it changes nothing, as in aws-vault v7.2.0.
func ssoStdoutFlag(cmd *kingpin.CmdClause, v *bool) {
	cmd.Flag("stdout", "Print the SSO authorization URL instead of opening a browser.").BoolVar(v)
}

// check refuses a bad --duration or --mfa-token before anything is read
// or asked, and normalises the token.
func (f *credFlags) check() error {
	if err := config.ValidateDuration(f.Duration); err != nil {
		return err
	}
	token, err := checkMFAToken(f.MFAToken)
	f.MFAToken = token
	return err
}

const nestedHint = "to switch profiles, leave this one first (exit), or run: env -u AWS_VAULT aws-vault exec OTHER-PROFILE"

// refuseNested refuses to run inside an aws-vault subshell (AWS_VAULT
// set), as aws-vault v7.2.0's exec and export do, in their words
// (https://github.com/99designs/aws-vault/blob/v7.2.0/cli/exec.go and
// cli/export.go): exec's start "running in", export's "in". exec --json,
// which v7.2.0 runs as export, has export's.
func refuseNested(getenv func(string) string, running bool) error {
	if getenv("AWS_VAULT") == "" {
		return nil
	}
	msg := "in an existing aws-vault subshell; 'exit' from the subshell or unset AWS_VAULT to force"
	if running {
		msg = "running " + msg
	}
	return &vault.HintedError{Err: errors.New(msg), Hint: nestedHint}
}

// credentialsResult is what a command gets from the chain.
type credentialsResult struct {
	Profile *config.Profile
	Creds   aws.Credentials
	// Steps are what the chain did to get them (for the issuance log).
	Steps []vault.Step
}

// resolveProfile loads the target profile with the command-line values
// applied to every profile of its chain. The flags are checked already.
func resolveProfile(s *session, profile string, f credFlags) (*config.Profile, error) {
	cfg, err := s.Config()
	if err != nil {
		return nil, err
	}
	return cfg.LoadProfile(profile, s.Getenv, cmdlineProfile(f))
}

// cmdlineProfile holds the command-line values applied to every profile
// of the chain (exec's and doctor's). --duration does not set
// ChainedGetSessionTokenDuration: the session a role is chained from keeps
// its own (8h) duration, as in aws-vault v7; only
// AWS_CHAINED_SESSION_TOKEN_TTL changes it.
func cmdlineProfile(f credFlags) config.Profile {
	return config.Profile{
		Region:                            f.Region,
		MFAToken:                          f.MFAToken,
		AssumeRoleDuration:                f.Duration,
		NonChainedGetSessionTokenDuration: f.Duration,
		GetFederationTokenDuration:        f.Duration,
	}
}

// newChain prepares the credential chain for a resolved profile; login
// gets no GetSessionToken for the target.
func newChain(ctx context.Context, s *session, p *config.Profile, f credFlags, login bool) (*vault.Chain, error) {
	kr, err := s.Keyring(ctx)
	if err != nil {
		return nil, err
	}
	locker, err := s.Locker()
	if err != nil {
		return nil, err
	}
	processTimeout, err := config.EnvDuration("AWS_VAULT_PROCESS_TIMEOUT", s.Getenv("AWS_VAULT_PROCESS_TIMEOUT"), vault.DefaultProcessTimeout, "1m")
	if err != nil {
		return nil, err
	}
	loader, err := awsLoader(s)
	if err != nil {
		return nil, err
	}
	sso, err := ssoOptions(s, locker, f.SSOStdout)
	if err != nil {
		return nil, err
	}
	opts := chainPolicy(s, kr, f, login)
	opts.AWS = loader
	opts.MFA = newMFASource(s, f.MFAToken)
	opts.ProcessTimeout = processTimeout
	opts.Environ, opts.Stdin, opts.Stderr, opts.Terminal = s.Environ, s.Stdin, s.Stderr, s.StdinIsTerminal
	opts.Lock = locker.Lock
	opts.SSO = sso
	return vault.NewChain(opts, p)
}

// chainPolicy are the chain options that decide its plan, the same for
// exec and for doctor, which only plans: the keyring whose item names it
// reads, the clock and the session and cache rules.
func chainPolicy(s *session, kr keyring.Keyring, f credFlags, login bool) vault.ChainOptions {
	return vault.ChainOptions{
		Keyring:            kr,
		Now:                s.Now,
		Logf:               s.log.Printf,
		NoSession:          f.NoSession,
		NoSessionForTarget: login,
		ExpiryWindow:       config.ExpiryWindowFromEnv(s.Getenv("AWS_MIN_TTL")),
		CacheRoles:         s.Getenv("AWS_VAULT_CACHE_ROLES") != "0",
	}
}

// awsLoader builds SDK configuration for AWS calls, bounded by
// AWS_VAULT_AWS_TIMEOUT.
func awsLoader(s *session) (*vault.AWSConfigLoader, error) {
	timeout, err := vault.ParseAWSTimeout(s.Getenv(vault.AWSTimeoutVar))
	if err != nil {
		return nil, err
	}
	return &vault.AWSConfigLoader{Getenv: s.Getenv, Logf: s.log.Printf, Timeout: timeout}, nil
}

// profileChain resolves the profile and builds its chain, fetching
// nothing, with failures worded as aws-vault's exec words them (Error
// loading config, Error getting temporary credentials); --debug logs the
// chain's plan.
func profileChain(ctx context.Context, s *session, profile string, f credFlags) (*config.Profile, *vault.Chain, error) {
	if err := f.check(); err != nil {
		return nil, nil, err
	}
	p, err := resolveProfile(s, profile, f)
	if err != nil {
		return nil, nil, fmt.Errorf("Error loading config: %w", err)
	}
	if _, err := s.Keyring(ctx); err != nil {
		return nil, nil, err
	}
	chain, err := newChain(ctx, s, p, f, false)
	if err != nil {
		return nil, nil, fmt.Errorf("Error getting temporary credentials: %w", err)
	}
	if s.flags.Debug {
		for i, st := range chain.Plan() {
			s.log.Printf("plan step %d: %s", i+1, stepLine(planStep{PlanStep: st}))
		}
	}
	return p, chain, nil
}

// getCredentials resolves the profile and gets its credentials, with
// failures worded as aws-vault's exec words them (Error loading config,
// Error getting temporary credentials, Failed to get credentials for); an
// AWS refusal among them is explained where it is printed.
func getCredentials(ctx context.Context, s *session, profile string, f credFlags) (*credentialsResult, error) {
	p, chain, err := profileChain(ctx, s, profile, f)
	if err != nil {
		return nil, err
	}
	creds, steps, err := chain.RetrieveSteps(ctx)
	if err != nil {
		return nil, &vault.AWSRefusal{Err: fmt.Errorf("Failed to get credentials for %s: %w", profile, err)}
	}
	return &credentialsResult{Profile: p, Creds: creds, Steps: steps}, nil
}
