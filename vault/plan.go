package vault

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/awsvault/aws-vault/vault/config"
)

// The cache states of a planned step.
const (
	// CacheHit: a cached session, going by the item names, serves it.
	CacheHit = "hit"
	// CacheMiss: the step is cached, but no cached session serves it now.
	CacheMiss = "miss"
	// CacheOff: the step's result is never cached (a stored key, a role
	// assumed without MFA, chained MFA, or rotate's disabled cache).
	CacheOff = "off"
)

// PlanStep is one step of the plan a chain follows, decided by the same
// walk that builds its providers (so exec and doctor cannot disagree): what
// is read, run or called, for which profile, with which settings, and
// whether the session cache serves it. It holds no secret: the
// credential_process command line (which may carry one) is not in it.
type PlanStep struct {
	// Kind is the provider's kind (KindStored, KindSessionToken, ...).
	Kind    string `json:"kind"`
	Profile string `json:"profile"`
	// Action is the AWS call the step makes on a cache miss ("" for a
	// stored key or a credential_process).
	Action string `json:"action,omitempty"`
	// Source says where a first step's credentials come from.
	Source string `json:"source,omitempty"`

	RoleARN string `json:"role_arn,omitempty"`
	// SessionName is role_session_name; empty means the time of the call.
	SessionName    string   `json:"session_name,omitempty"`
	ExternalID     bool     `json:"external_id,omitempty"`
	SourceIdentity string   `json:"source_identity,omitempty"`
	SessionTags    []string `json:"session_tags,omitempty"`
	TransitiveTags []string `json:"transitive_tag_keys,omitempty"`

	SSOStartURL string `json:"sso_start_url,omitempty"`
	SSOAccount  string `json:"sso_account_id,omitempty"`
	SSORole     string `json:"sso_role_name,omitempty"`

	Region string `json:"region,omitempty"`
	// Endpoint is filled in by AWSConfigLoader.ResolvePlanEndpoints.
	Endpoint string `json:"endpoint,omitempty"`
	// DurationSeconds is what the call asks for; RequestedSeconds, when
	// set, is what the profile asked before the 1 h role chaining cap.
	DurationSeconds  int64 `json:"duration_seconds,omitempty"`
	RequestedSeconds int64 `json:"requested_seconds,omitempty"`

	// MFASerial is the device whose code the call sends.
	MFASerial string `json:"mfa_serial,omitempty"`
	// MFAChained names the device of a role that sends no code, because
	// an earlier session of this chain was obtained with it.
	MFAChained string `json:"mfa_chained,omitempty"`
	// MFAProcess says the code comes from mfa_process.
	MFAProcess bool `json:"mfa_process,omitempty"`

	// Cache is CacheHit, CacheMiss or CacheOff; CachedUntil is the hit's
	// expiry, from the item's name.
	Cache       string     `json:"cache"`
	CachedUntil *time.Time `json:"cached_until,omitempty"`
	// Needed is false for a step a cached later step makes unnecessary.
	Needed bool `json:"needed"`
	// Notes explain decisions (why no session, the duration cap).
	Notes []string `json:"notes,omitempty"`

	profile *config.Profile
}

// Runs reports whether the step makes its AWS call (or runs its process,
// or reads its key): it is needed and no cached session serves it.
func (s PlanStep) Runs() bool { return s.Needed && s.Cache != CacheHit }

// plan notes the next step of the walk.
func (b *builder) plan(s PlanStep, p *config.Profile) {
	s.Profile, s.profile, s.Cache, s.Needed = p.ProfileName, p, CacheOff, true
	b.planned = append(b.planned, s)
}

// note adds an explanation to the latest planned step.
func (b *builder) note(format string, args ...any) {
	if n := len(b.planned); n > 0 {
		b.planned[n-1].Notes = append(b.planned[n-1].Notes, fmt.Sprintf(format, args...))
	}
}

// planCache records, on the latest planned step, whether a cached session
// serves key, judged by the item names alone: nothing is read, so the walk
// costs no I/O. A session whose payload turns out unusable, or that was
// obtained with other settings, is then fetched anew when the plan runs.
func (b *builder) planCache(key SessionKey) {
	n := len(b.planned)
	if n == 0 {
		return
	}
	s := &b.planned[n-1]
	s.Cache = CacheMiss
	now := b.chain.opts.Now()
	valid := now.Add(b.chain.opts.ExpiryWindow)
	prefix := key.prefix()
	for _, k := range b.keys {
		if !strings.HasPrefix(k, prefix) {
			continue
		}
		if found, err := ParseSessionKey(k); err == nil && found.Expiration.After(valid) {
			until := found.Expiration.UTC()
			s.Cache, s.CachedUntil = CacheHit, &until
			return
		}
	}
}

// markUnneeded marks the steps before the last cache hit as not needed:
// the hit serves everything after them.
func markUnneeded(steps []PlanStep) {
	for i := len(steps) - 1; i >= 0; i-- {
		if steps[i].Cache == CacheHit {
			for j := 0; j < i; j++ {
				steps[j].Needed = false
			}
			return
		}
	}
}

// Plan is the plan of the chain's walk done by NewChain (or PlanChain).
func (c *Chain) Plan() []PlanStep {
	return append([]PlanStep(nil), c.planned...)
}

// PlanChain plans how credentials for target would be obtained, without
// getting them: it lists the keyring's item names once and reads no item,
// runs nothing, asks for nothing, calls nothing and removes nothing
// (expired sessions are left for the next exec to purge). An error is
// what would stop the chain before any call (a missing key or source).
func PlanChain(opts ChainOptions, target *config.Profile) ([]PlanStep, error) {
	opts.planOnly = true
	c, err := NewChain(opts, target)
	if err != nil {
		return nil, err
	}
	return c.Plan(), nil
}

func sessionTagList(p *config.Profile) []string {
	var out []string
	for _, k := range sortedKeys(p.SessionTags) {
		out = append(out, k+"="+p.SessionTags[k])
	}
	return out
}

func durationSeconds(d time.Duration) int64 { return int64(d / time.Second) }

// planWebIdentity plans p's AssumeRoleWithWebIdentity.
func (b *builder) planWebIdentity(p *config.Profile) {
	src := "web_identity_token_file " + p.WebIdentityTokenFile
	if p.WebIdentityTokenFile == "" {
		src = "web_identity_token_process"
	}
	b.plan(PlanStep{Kind: KindWebIdentity, Action: "AssumeRoleWithWebIdentity", Source: src, RoleARN: p.RoleARN,
		SessionName: p.RoleSessionName, Region: p.Region, DurationSeconds: durationSeconds(p.AssumeRoleDuration)}, p)
}

// planSSOToken notes where the SSO access token would come from, by the
// keyring's item names alone.
func (b *builder) planSSOToken(sp *ssoProfile) {
	if slices.Contains(b.keys, oidcKey(sp.keyURL)) {
		b.note("access token: keyring item %s (refreshed or signed in again if it has expired)", oidcKey(sp.keyURL))
		return
	}
	b.note("access token: none in the keyring; the AWS CLI's cache is tried, else a sign-in in the browser")
}
