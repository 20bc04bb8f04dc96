package cli

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/config"
)

type loginOptions struct {
	ProfileName string
	credFlags
	AutoLogout bool
	Path       string
	Stdout     bool
}

func configureLogin(a *App) {
	opts := &loginOptions{}
	cmd := a.kp.Command("login", "Open the AWS console signed in as a profile.").HelpLong(`
Opens a sign-in URL in the browser (the program $AWS_VAULT_BROWSER names, if
set); --stdout prints it instead. Without a profile, signs in with the
credentials in the environment.

Examples:
  aws-vault login work
  aws-vault login --stdout work`)
	opts.duration(cmd, "Duration of the console session, e.g. 1h (at least 15m).")
	opts.noSession(cmd, "Use the stored key without GetSessionToken.")
	cmd.Flag("auto-logout", "Sign out of any current console session first.").Short('a').
		Envar("AWS_VAULT_AUTO_LOGOUT").BoolVar(&opts.AutoLogout)
	opts.mfaToken(cmd)
	cmd.Flag("path", "Console path to open, e.g. s3 (used when a region is known).").StringVar(&opts.Path)
	opts.region(cmd, "AWS region of the console (also selects the partition).")
	cmd.Flag("stdout", "Print the sign-in URL instead of opening a browser.").Short('s').BoolVar(&opts.Stdout)
	cmd.Arg("profile", "Name of the profile (default: credentials in the environment).").
		HintAction(a.completeProfiles).StringVar(&opts.ProfileName)
	a.register(cmd, func(ctx context.Context) error { return runLogin(ctx, a.s, opts) })
}

// runLogin signs in to the AWS console as aws-vault v7's login does (its
// cli/login.go): credentials for the profile (or from the environment), a
// federation token for IAM users, a sign-in token, then the URL printed or
// opened.
func runLogin(ctx context.Context, s *session, opts *loginOptions) error {
	src, target, err := loginSource(ctx, s, opts)
	if err != nil {
		return err
	}
	loader, err := awsLoader(s)
	if err != nil {
		return err
	}
	login := &vault.ConsoleLogin{AWS: loader, Logf: s.log.Printf, Now: s.Now}
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
		_, err = fmt.Fprintln(s.Stdout, url)
	} else {
		err = systemBrowser(s).open(url)
	}
	if err == nil {
		recordLogin(s, src, creds, opts.Stdout)
	}
	return err
}

// recordLogin writes the issuance log's line for a console sign-in: the
// chain's steps, then the federation token if one was obtained.
func recordLogin(s *session, src vault.LoginSource, creds aws.Credentials, stdout bool) {
	steps := src.Steps
	if creds.Source == vault.KindFederationToken {
		steps = append(steps, vault.Step{Kind: vault.KindFederationToken, Profile: src.Profile.ProfileName})
	}
	output := "browser"
	if stdout {
		output = "url"
	}
	s.auditLog().Record(vault.Handout{Command: "login", Output: output, Profile: src.Profile.ProfileName, Steps: steps, Creds: creds})
}

// loginSource returns the credentials to log in with and where the login
// goes: the profile's, or with no profile those in the environment.
func loginSource(ctx context.Context, s *session, opts *loginOptions) (vault.LoginSource, vault.ConsoleTarget, error) {
	if opts.ProfileName == "" {
		return envLoginSource(s, opts)
	}
	f := opts.credFlags
	// No browser for the console, none for an SSO sign-in on the way.
	f.SSOStdout = opts.Stdout
	if err := f.check(); err != nil {
		return vault.LoginSource{}, vault.ConsoleTarget{}, err
	}
	p, err := resolveProfile(s, opts.ProfileName, f)
	if err != nil {
		return vault.LoginSource{}, vault.ConsoleTarget{}, err
	}
	target, err := loginTarget(s, p, opts.Path)
	if err != nil {
		return vault.LoginSource{}, vault.ConsoleTarget{}, fmt.Errorf("profile %s: %w", p.ProfileName, err)
	}
	chain, err := newChain(ctx, s, p, f, true)
	if err != nil {
		return vault.LoginSource{}, vault.ConsoleTarget{}, err
	}
	creds, steps, err := chain.RetrieveSteps(ctx)
	src := vault.LoginSource{Profile: p, Kind: chain.Kind, Creds: creds, Steps: steps}
	if err != nil {
		return vault.LoginSource{}, vault.ConsoleTarget{}, loginCredentialsError(src, err)
	}
	return src, target, nil
}

// envLoginSource is loginSource for the credentials in the environment
// (aws-vault exec PROFILE, then aws-vault login).
func envLoginSource(s *session, opts *loginOptions) (vault.LoginSource, vault.ConsoleTarget, error) {
	if err := config.ValidateDuration(opts.Duration); err != nil {
		return vault.LoginSource{}, vault.ConsoleTarget{}, err
	}
	creds, err := vault.EnvCredentials(s.Getenv)
	if err != nil {
		return vault.LoginSource{}, vault.ConsoleTarget{}, err
	}
	p, err := vault.EnvLoginProfile(s.Getenv, opts.Region, opts.Duration)
	if err != nil {
		return vault.LoginSource{}, vault.ConsoleTarget{}, err
	}
	target, err := loginTarget(s, p, opts.Path)
	if err != nil {
		return vault.LoginSource{}, vault.ConsoleTarget{}, err
	}
	s.log.Printf("login: using the credentials in the environment")
	return vault.LoginSource{Profile: p, Creds: creds}, target, nil
}

// loginTarget builds the console target from the region as configured,
// then gives the chain a region for its calls if it has none.
func loginTarget(s *session, p *config.Profile, path string) (vault.ConsoleTarget, error) {
	target, err := vault.NewConsoleTarget(p.Region, path)
	if err != nil {
		return target, err
	}
	if vault.FillLoginRegion(p) {
		s.log.Printf("login: no region configured: signing in through %s, AWS calls in %s", target.Prefix, vault.LoginCallRegion)
	}
	return target, nil
}

// loginCredentialsError words a failure to get console credentials as
// aws-vault does; an AWS refusal of a profile's credentials is explained
// where it is printed.
func loginCredentialsError(src vault.LoginSource, err error) error {
	if src.Profile.ProfileName == "" {
		// The advice names aws-vault add/clear, which do not apply here.
		return fmt.Errorf("credentials from the environment: %w", err)
	}
	return &vault.AWSRefusal{Err: fmt.Errorf("Failed to get credentials for %s: %w", src.Profile.ProfileName, err)}
}
