package cli

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsvault/aws-vault/prompt"
	"github.com/awsvault/aws-vault/server"
	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/config"
)

// imdsV2OnlyVar makes the EC2 metadata server refuse requests without an
// IMDSv2 session token, as an instance with HttpTokens=required does.
const imdsV2OnlyVar = "AWS_VAULT_EC2_IMDSV2_ONLY"

// servedCredentials is what a credential server serves for one profile:
// the chain behind it and the in-memory source over the chain, which
// refreshes through the chain (session cache, locks, MFA rules) when the
// credentials come within AWS_MIN_TTL of expiring.
type servedCredentials struct {
	profile *config.Profile
	chain   *vault.Chain
	source  *server.Source
	window  time.Duration
	// served is source recorded in the issuance log on each first
	// answer with a credential.
	served aws.CredentialsProvider
}

// prepareServer resolves the profile and its chain as exec does, with
// exec's wording for failures, and fetches nothing yet.
func prepareServer(ctx context.Context, s *session, opts *execOptions, output string) (*servedCredentials, error) {
	// A prompt while the command runs must not read the terminal from the
	// background (an interactive subshell takes the foreground for its own
	// process group): aws-vault would be stopped, and its server with it.
	// Such a prompt fails at once instead, naming what would work.
	deps := *s.Deps
	deps.OpenTTY = prompt.ForegroundOnly(deps.OpenTTY)
	s.Deps = &deps
	p, chain, err := profileChain(ctx, s, opts.ProfileName, opts.credFlags)
	if err != nil {
		return nil, err
	}
	window := config.ExpiryWindowFromEnv(s.Getenv("AWS_MIN_TTL"))
	src := server.NewSource(chain, window)
	src.LogRefreshFailures(s.log.Printf)
	served := s.auditLog().ServedOnce(vault.Handout{Command: "exec", Output: output, Profile: p.ProfileName}, chain, src)
	return &servedCredentials{profile: p, chain: chain, source: src, window: window, served: served}, nil
}

// fetch gets the credentials before the child starts, worded as
// aws-vault v7 words a failure there.
func (c *servedCredentials) fetch(ctx context.Context) error {
	if _, err := c.source.Retrieve(ctx); err != nil {
		return &vault.AWSRefusal{Err: fmt.Errorf("Retrieving creds: %w", err)}
	}
	return nil
}

// roles assumes the roles of the ECS server's /role-arn/<ARN> path with
// the served credentials as the source; each role's first credentials of
// a fetch are recorded in the issuance log.
func (c *servedCredentials) roles(s *session) server.RoleAssumer {
	log := s.auditLog()
	return server.RoleAssumerFunc(func(ctx context.Context, roleARN string) (aws.Credentials, error) {
		creds, err := c.chain.AssumeRoleARN(ctx, c.source, roleARN)
		if err == nil {
			log.Record(vault.Handout{Command: "exec", Output: "ecs-server", Profile: c.profile.ProfileName, Creds: creds,
				Steps: []vault.Step{{Kind: vault.KindAssumeRole, Profile: c.profile.ProfileName, RoleARN: roleARN}}})
		}
		return creds, err
	})
}

// containerVars point the SDKs at container credentials. A server's
// child must not inherit them from where aws-vault runs (an ECS task, an
// EKS pod): the SDKs prefer the relative URI to the full one, and a token
// file to the token, so the child would not reach aws-vault's server, or
// would send it the wrong token.
var containerVars = []string{
	"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
	"AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
}

func withoutContainerVars(environ []string) []string {
	for _, k := range containerVars {
		environ = withoutVar(environ, k)
	}
	return environ
}

// serverBanner is a server's help line: like the subshell's, shown only
// when no command was given.
func serverBanner(s *session, opts *execOptions, msg string) {
	if opts.Command == "" {
		banner(s, msg)
		return
	}
	s.log.Print(msg)
}

// runECSServer is exec --ecs-server: the ECS container-credentials server
// on a random loopback port, for as long as the command runs as a child.
func runECSServer(ctx context.Context, s *session, opts *execOptions) error {
	creds, err := prepareServer(ctx, s, opts, "ecs-server")
	if err != nil {
		return err
	}
	serverBanner(s, opts, "Starting a local ECS credential server; your app's AWS sdk must support AWS_CONTAINER_CREDENTIALS_FULL_URI.")
	if !opts.Lazy {
		if err := creds.fetch(ctx); err != nil {
			return err
		}
	}
	token, err := server.NewToken(nil)
	if err != nil {
		return err
	}
	ln, url, err := server.ListenECS()
	if err != nil {
		return err
	}
	h := server.NewECSHandler(server.ECSConfig{
		Token: token, Credentials: creds.served, Roles: creds.roles(s), ExpiryWindow: creds.window, Logf: s.log.Printf,
	})
	s.log.Printf("ECS credential server listening on %s", url)
	env := vault.ServerChildEnviron(withoutContainerVars(s.Environ()), opts.ProfileName, creds.profile.Region,
		[2]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI", url},
		[2]string{"AWS_CONTAINER_AUTHORIZATION_TOKEN", token})
	return serveForChild(ctx, s, opts, ln, h, env, nil)
}

// serveForChild serves h on ln while the command runs as a child, then
// stops the server (the port is closed when it returns) and passes the
// child's exit status through. The child has the signals while it runs.
//
// before, if set, runs once the server is up and before the child starts;
// the function it returns runs when the child has exited, before the
// server stops.
func serveForChild(ctx context.Context, s *session, opts *execOptions, ln net.Listener, h http.Handler, env []string,
	before func() (after func(), err error)) error {
	serveCtx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- server.Serve(serveCtx, ln, h) }()
	defer func() {
		stop()
		if err := <-served; err != nil {
			s.report().Warning(err.Error())
		}
	}()
	if before != nil {
		after, err := before()
		if err != nil {
			return err
		}
		defer after()
	}
	name, path, err := childProgram(s, opts)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err // interrupted while starting: run nothing
	}
	s.log.Printf("running %s as a child", path)
	status, err := s.Runner.Run(ctx, childCommand(s, opts, name, path, env))
	if err != nil {
		return fmt.Errorf("running %s: %w", name, err)
	}
	return ExitStatusError{Status: status}
}

// proxyStartTimeout bounds the start of the EC2 metadata proxy: sudo may
// ask for a password first.
const proxyStartTimeout = 2 * time.Minute

// proxyAnswerTimeout bounds the wait for the proxy to answer once sudo
// has started it.
const proxyAnswerTimeout = 10 * time.Second

// runEC2Server is exec --ec2-server: the EC2 metadata server on
// 127.0.0.1:9099 and, started with sudo, the root proxy that puts it on
// 169.254.169.254:80, for as long as the command runs as a child.
func runEC2Server(ctx context.Context, s *session, opts *execOptions) error {
	v2Only, err := imdsV2Only(s.Getenv(imdsV2OnlyVar))
	if err != nil {
		return err
	}
	creds, err := prepareServer(ctx, s, opts, "ec2-server")
	if err != nil {
		return err
	}
	ln, err := server.ListenEC2(server.EC2CredentialsAddr)
	if err != nil {
		return err
	}
	keep := false
	defer func() {
		if !keep {
			_ = ln.Close()
		}
	}()
	if err := server.CheckEC2Ports(ctx, server.MetadataAddr, ""); err != nil {
		return err
	}
	serverBanner(s, opts, "Warning: Starting a local EC2 credential server on 169.254.169.254:80; AWS credentials will be accessible to any process while it is running")
	if err := creds.fetch(ctx); err != nil {
		return err
	}
	h, err := server.NewEC2Handler(server.EC2Config{
		Credentials: creds.served, Region: creds.profile.Region, IMDSv2Only: v2Only, Logf: s.log.Printf,
	})
	if err != nil {
		return err
	}
	// From here the server owns the listener: Serve closes it.
	keep = true
	env := vault.ServerChildEnviron(withoutContainerVars(s.Environ()), opts.ProfileName, creds.profile.Region)
	return serveForChild(ctx, s, opts, ln, h, env, func() (func(), error) {
		p, err := startProxy(ctx, s)
		if err != nil {
			return nil, err
		}
		stop := func() {
			if err := p.stop(); err != nil {
				s.report().Warning(err.Error())
			}
		}
		if err := p.waitReady(ctx); err != nil {
			stop()
			return nil, err
		}
		return stop, nil
	})
}

// imdsV2Only reads AWS_VAULT_EC2_IMDSV2_ONLY: 1 on, 0 or unset off.
func imdsV2Only(v string) (bool, error) {
	switch v {
	case "1":
		return true, nil
	case "", "0":
		return false, nil
	}
	return false, fmt.Errorf("%s=%s: must be 1 (refuse requests without an IMDSv2 token) or 0", imdsV2OnlyVar, v)
}
