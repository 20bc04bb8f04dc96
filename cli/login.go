package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/config"
)

type loginOptions struct {
	ProfileName string
	Duration    time.Duration
	NoSession   bool
	AutoLogout  bool
	MFAToken    string
	Path        string
	Region      string
	Stdout      bool
}

func configureLogin(a *App) {
	opts := &loginOptions{}
	cmd := a.kp.Command("login", "Open the AWS console signed in as a profile.")
	cmd.Flag("duration", "Duration of the console session, e.g. 1h (at least 15m).").Short('d').DurationVar(&opts.Duration)
	cmd.Flag("no-session", "Use the stored key without GetSessionToken.").Short('n').BoolVar(&opts.NoSession)
	cmd.Flag("auto-logout", "Sign out of any current console session first.").Short('a').
		Envar("AWS_VAULT_AUTO_LOGOUT").BoolVar(&opts.AutoLogout)
	cmd.Flag("mfa-token", "MFA code to use instead of asking for one.").Short('t').StringVar(&opts.MFAToken)
	cmd.Flag("path", "Console path to open, e.g. s3 (used when a region is known).").StringVar(&opts.Path)
	cmd.Flag("region", "AWS region of the console (also selects the partition).").StringVar(&opts.Region)
	cmd.Flag("stdout", "Print the sign-in URL instead of opening a browser.").Short('s').BoolVar(&opts.Stdout)
	cmd.Arg("profile", "Name of the profile (default: credentials in the environment).").
		HintAction(a.g.profileNames).StringVar(&opts.ProfileName)
	a.register(cmd, func(ctx context.Context) error { return runLogin(ctx, a.g, opts) })
}

// runLogin signs in to the AWS console: credentials for the profile (or
// from the environment), a federation token for IAM users, a sign-in token,
// then the URL printed or opened (compat-spec §6.3).
func runLogin(ctx context.Context, g *globalOptions, opts *loginOptions) error {
	src, target, err := g.loginSource(ctx, opts)
	if err != nil {
		return err
	}
	loader, err := g.awsLoader()
	if err != nil {
		return err
	}
	login := &vault.ConsoleLogin{AWS: loader, Logf: g.logger.Printf}
	creds, err := login.Credentials(ctx, src)
	if err != nil {
		return loginCredentialsError(src, err)
	}
	token, err := login.SigninToken(ctx, src.Profile, target, creds)
	if err != nil {
		return err
	}
	url := target.LoginURL(token)
	if opts.AutoLogout {
		url = target.LogoutLoginURL(token)
	}
	if opts.Stdout {
		_, err := fmt.Fprintln(g.deps.Stdout, url)
		return err
	}
	return g.browser().open(url)
}

// loginSource returns the credentials to log in with and where the login
// goes: the profile's, or with no profile those in the environment.
func (g *globalOptions) loginSource(ctx context.Context, opts *loginOptions) (vault.LoginSource, vault.ConsoleTarget, error) {
	if opts.ProfileName == "" {
		return g.envLoginSource(opts)
	}
	co := credOptions{ProfileName: opts.ProfileName, Duration: opts.Duration, NoSession: opts.NoSession,
		Region: opts.Region, MFAToken: opts.MFAToken, loginTarget: true}
	if err := co.check(); err != nil {
		return vault.LoginSource{}, vault.ConsoleTarget{}, err
	}
	p, err := g.resolveProfile(co)
	if err != nil {
		return vault.LoginSource{}, vault.ConsoleTarget{}, err
	}
	target, err := g.loginTarget(p, opts.Path)
	if err != nil {
		return vault.LoginSource{}, vault.ConsoleTarget{}, fmt.Errorf("profile %s: %w", p.ProfileName, err)
	}
	chain, err := g.newChain(co, p)
	if err != nil {
		return vault.LoginSource{}, vault.ConsoleTarget{}, err
	}
	creds, err := chain.Retrieve(ctx)
	src := vault.LoginSource{Profile: p, Kind: chain.Kind, Creds: creds}
	if err != nil {
		return vault.LoginSource{}, vault.ConsoleTarget{}, loginCredentialsError(src, err)
	}
	return src, target, nil
}

// envLoginSource is loginSource for the credentials in the environment
// (aws-vault exec PROFILE, then aws-vault login).
func (g *globalOptions) envLoginSource(opts *loginOptions) (vault.LoginSource, vault.ConsoleTarget, error) {
	if err := config.ValidateDuration(opts.Duration); err != nil {
		return vault.LoginSource{}, vault.ConsoleTarget{}, err
	}
	creds, err := vault.EnvCredentials(g.deps.Getenv)
	if err != nil {
		return vault.LoginSource{}, vault.ConsoleTarget{}, err
	}
	p, err := vault.EnvLoginProfile(g.deps.Getenv, opts.Region, opts.Duration)
	if err != nil {
		return vault.LoginSource{}, vault.ConsoleTarget{}, err
	}
	target, err := g.loginTarget(p, opts.Path)
	if err != nil {
		return vault.LoginSource{}, vault.ConsoleTarget{}, err
	}
	g.logger.Printf("login: using the credentials in the environment")
	return vault.LoginSource{Profile: p, Creds: creds}, target, nil
}

// loginTarget builds the console target from the region as configured,
// then gives the chain a region for its calls if it has none.
func (g *globalOptions) loginTarget(p *config.Profile, path string) (vault.ConsoleTarget, error) {
	target, err := vault.NewConsoleTarget(p.Region, path)
	if err != nil {
		return target, err
	}
	if vault.FillLoginRegion(p) {
		g.logger.Printf("login: no region configured: signing in through %s, AWS calls in %s", target.Prefix, vault.LoginCallRegion)
	}
	return target, nil
}

// loginCredentialsError words a failure to get console credentials as
// aws-vault does, with a hint for AWS refusals users can act on.
func loginCredentialsError(src vault.LoginSource, err error) error {
	if src.Profile.ProfileName == "" {
		// The hints name aws-vault add/clear, which do not apply here.
		return fmt.Errorf("credentials from the environment: %w", err)
	}
	err = fmt.Errorf("Failed to get credentials for %s: %w", src.Profile.ProfileName, err)
	if hint := vault.Explain(err); hint != "" {
		err = withHint(err, hint)
	}
	return err
}
