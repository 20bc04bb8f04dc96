package vault

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsvault/aws-vault/vault/config"
	"github.com/awsvault/aws-vault/vault/keyring"
)

// ChainOptions are the inputs of the credential chain: IO and policy.
type ChainOptions struct {
	Keyring keyring.Keyring
	AWS     *AWSConfigLoader
	MFA     MFATokenSource
	Now     func() time.Time
	// Logf writes --debug lines; it never receives a secret.
	Logf func(format string, args ...any)

	// NoSession forbids GetSessionToken anywhere in the chain (--no-session).
	NoSession bool
	// NoSessionForTarget forbids it for the target profile only (login).
	NoSessionForTarget bool
	// ExpiryWindow is how long a cached session must still be valid
	// (AWS_MIN_TTL, default 5m).
	ExpiryWindow time.Duration
	// CacheRoles caches AssumeRole results obtained without MFA too.
	CacheRoles bool
	// DisableCache neither reads nor writes the session cache (rotate).
	DisableCache bool

	// ProcessTimeout bounds credential_process and
	// web_identity_token_process (default DefaultProcessTimeout).
	ProcessTimeout time.Duration
	// Environ is the environment processes run with; Stdin and Stderr are
	// passed to them; Terminal says Stdin is the user's terminal.
	Environ  func() []string
	Stdin    io.Reader
	Stderr   io.Writer
	Terminal bool
	// Lock serialises fetching one credential across processes; nil means
	// no locking.
	Lock func(ctx context.Context, name, profile string) (unlock func(), err error)
	// SSO holds the settings of IAM Identity Center sign-ins.
	SSO SSOOptions

	// planOnly walks the chain without touching the keyring (PlanChain).
	planOnly bool
}

// Chain obtains credentials for a target profile, following its
// source_profile chain, as aws-vault v7 does (NewTempCredentialsProvider in
// its vault/vault.go, https://github.com/99designs/aws-vault/blob/v7.2.0/vault/vault.go).
type Chain struct {
	opts   ChainOptions
	store  *Store
	target *config.Profile
	// Kind is the kind of the target's provider, e.g. KindAssumeRole.
	Kind  string
	first *builder
	// planned is the plan of the first walk.
	planned []PlanStep

	mu   sync.Mutex
	last lastRetrieval
}

// NewChain prepares the chain for target. It checks that every profile of
// the chain exists before anything is fetched.
func NewChain(opts ChainOptions, target *config.Profile) (*Chain, error) {
	if opts.ExpiryWindow == 0 {
		opts.ExpiryWindow = config.DefaultExpiryWindow
	}
	if opts.ProcessTimeout == 0 {
		opts.ProcessTimeout = DefaultProcessTimeout
	}
	if opts.Logf == nil {
		opts.Logf = func(string, ...any) {}
	}
	c := &Chain{opts: opts, target: target, store: &Store{Keyring: opts.Keyring, Now: opts.Now, Logf: opts.Logf}}
	b, err := c.build()
	if err != nil {
		return nil, err
	}
	c.first, c.planned = b, b.planned
	return c, nil
}

// Retrieve returns credentials for the target profile. If AWS rejects a
// cached session on the next hop, that entry is dropped and the chain runs
// once more.
func (c *Chain) Retrieve(ctx context.Context) (aws.Credentials, error) {
	creds, _, err := c.RetrieveSteps(ctx)
	return creds, err
}

func (c *Chain) retrieve(ctx context.Context) (aws.Credentials, []Step, error) {
	b, err := c.first, error(nil)
	if b == nil {
		if b, err = c.build(); err != nil {
			return aws.Credentials{}, nil, err
		}
	}
	c.first = nil
	creds, err := b.top.Retrieve(ctx)
	if err == nil || !isRejectedCredentials(err) || len(b.cacheHits) == 0 {
		return creds, b.steps, err
	}
	for _, key := range b.cacheHits {
		c.opts.Logf("AWS rejected cached session %s; removing it and trying again", key)
		_ = c.store.RemoveSession(key)
	}
	if b, err = c.build(); err != nil {
		return aws.Credentials{}, nil, err
	}
	creds, err = b.top.Retrieve(ctx)
	return creds, b.steps, err
}

// build walks the profiles once, deciding each provider.
func (c *Chain) build() (*builder, error) {
	keys, err := c.opts.Keyring.Keys()
	if err != nil {
		return nil, fmt.Errorf("listing keyring items: %w", err)
	}
	if !c.opts.DisableCache && !c.opts.planOnly {
		c.store.PurgeSessions(keys)
	}
	b := &builder{chain: c, keys: keys}
	top, kind, err := b.provider(c.target)
	if err != nil {
		return nil, err
	}
	b.top, c.Kind = top, kind
	markUnneeded(b.planned)
	return b, nil
}

// builder holds the state of one walk over the chain.
type builder struct {
	chain *Chain
	keys  []string
	top   aws.CredentialsProvider
	// sessionSerial is the MFA serial of a planned GetSessionToken: later
	// roles with the same serial do not send MFA again ("chained MFA").
	sessionSerial string
	cacheHits     []SessionKey
	// steps are what the walk did, in chain order (see Step).
	steps []Step
	// planned is what the walk decided to do, in chain order.
	planned []PlanStep
}

func (b *builder) hasStored(profile string) bool {
	return ClassifyKey(profile) == KeyCredentials && slices.Contains(b.keys, profile)
}

// provider decides the provider for p, in aws-vault v7's order: stored
// credentials or a source_profile (then the role, if any), SSO, web
// identity, credential_process.
func (b *builder) provider(p *config.Profile) (aws.CredentialsProvider, string, error) {
	stored := b.hasStored(p.ProfileName)
	if !p.HasSection && !stored {
		return nil, "", missingProfileError(b.chain.target, p)
	}
	switch {
	case stored || p.HasSourceProfile():
		return b.sourceThenRole(p, stored)
	case p.HasSSOStartURL() || p.SSOSession != "":
		return b.sso(p)
	case p.HasWebIdentity():
		b.planWebIdentity(p)
		return b.cached(p, KindWebIdentity, "", "", &webIdentityProvider{b: b, p: p}), KindWebIdentity, nil
	case p.HasCredentialProcess():
		b.plan(PlanStep{Kind: KindCredentialProcess, Source: "credential_process"}, p)
		return b.cached(p, KindCredentialProcess, "", "", &credentialProcessProvider{b: b, p: p}), KindCredentialProcess, nil
	}
	return nil, "", fmt.Errorf("profile %s: credentials missing", p.ProfileName)
}

// sourceThenRole builds the provider of a profile with stored credentials or
// a source_profile, then its role if it has one.
func (b *builder) sourceThenRole(p *config.Profile, stored bool) (aws.CredentialsProvider, string, error) {
	var src aws.CredentialsProvider
	var kind string
	if stored {
		b.chain.opts.Logf("profile %s: using stored credentials", p.ProfileName)
		b.plan(PlanStep{Kind: KindStored, Source: "keyring item " + p.ProfileName}, p)
		src, kind = b.sessionOrKey(p, &keyringProvider{b: b, profile: p.ProfileName})
	} else {
		b.chain.opts.Logf("profile %s: sourcing credentials from profile %s", p.ProfileName, p.SourceProfile.ProfileName)
		var err error
		if src, kind, err = b.provider(p.SourceProfile); err != nil {
			return nil, "", err
		}
		if kind == KindStored && !p.HasRole() {
			// A profile that only names a source ("pass-through") gets its
			// own session over the source's key, as aws-vault v7 does: the
			// long-term key is handed out only with --no-session.
			src, kind = b.sessionOrKey(p, src)
		}
	}
	if !p.HasRole() {
		return src, kind, nil
	}
	// Temporary credentials (a session, a role, SSO role credentials) may
	// assume a role for an hour at most.
	return b.assumeRole(p, src, kind == KindSessionToken || kind == KindAssumeRole || kind == KindSSO), KindAssumeRole, nil
}

// sessionOrKey wraps key, a stored long-term key reaching p, in a
// GetSessionToken for p unless the session rules skip it.
func (b *builder) sessionOrKey(p *config.Profile, key aws.CredentialsProvider) (aws.CredentialsProvider, string) {
	if reason := b.sessionSkipReason(p); reason != "" {
		b.chain.opts.Logf("profile %s: skipping GetSessionToken because %s", p.ProfileName, reason)
		b.note("no GetSessionToken for profile %s: %s", p.ProfileName, reason)
		return key, KindStored
	}
	return b.sessionToken(p, key), KindSessionToken
}

func missingProfileError(target, p *config.Profile) error {
	cfgPath := "the config file"
	if p.ConfigPath != "" {
		cfgPath = p.ConfigPath
	}
	if p == target {
		return fmt.Errorf("profile '%s' not found in %s and no stored credentials exist for it", p.ProfileName, cfgPath)
	}
	return fmt.Errorf("profile '%s': source_profile '%s' not found in %s and no stored credentials exist for it",
		p.ChainedFromProfile.ProfileName, p.ProfileName, cfgPath)
}

// isRejectedCredentials reports whether AWS refused the credentials a call
// was signed with as expired or unknown.
func isRejectedCredentials(err error) bool {
	code := APIErrorCode(err)
	return code == "ExpiredToken" || code == "InvalidClientTokenId"
}
