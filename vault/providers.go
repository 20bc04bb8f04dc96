package vault

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/awsvault/aws-vault/vault/config"
)

// keyringProvider returns a profile's stored long-term key.
type keyringProvider struct {
	b       *builder
	profile string
}

func (k *keyringProvider) Retrieve(context.Context) (aws.Credentials, error) {
	creds, err := k.b.chain.store.Credentials(k.profile)
	if err == nil {
		k.b.record(Step{Kind: KindStored, Profile: k.profile})
	}
	return creds, err
}

// sessionTokenProvider calls GetSessionToken with the profile's key.
type sessionTokenProvider struct {
	b        *builder
	p        *config.Profile
	source   aws.CredentialsProvider
	duration time.Duration
}

func (s *sessionTokenProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	client, err := s.b.stsClient(ctx, s.p, s.source)
	if err != nil {
		return aws.Credentials{}, err
	}
	in := &sts.GetSessionTokenInput{DurationSeconds: seconds(s.duration)}
	if s.p.MFASerial != "" {
		code, err := s.b.mfaCode(ctx, s.p)
		if err != nil {
			return aws.Credentials{}, err
		}
		in.SerialNumber, in.TokenCode = aws.String(s.p.MFASerial), aws.String(code)
	}
	s.b.chain.opts.Logf("profile %s: calling GetSessionToken (duration %s, MFA %s)", s.p.ProfileName, s.duration, yesNo(in.SerialNumber != nil))
	out, err := client.GetSessionToken(ctx, in)
	if err != nil {
		return aws.Credentials{}, err
	}
	creds, err := s.b.issued(s.p, "GetSessionToken", out.Credentials, out.ResultMetadata, KindSessionToken)
	if err == nil {
		s.b.record(Step{Kind: KindSessionToken, Profile: s.p.ProfileName}.withMFA(aws.ToString(in.SerialNumber)))
	}
	return creds, err
}

// assumeRoleProvider calls AssumeRole with the source's credentials.
type assumeRoleProvider struct {
	b        *builder
	p        *config.Profile
	source   aws.CredentialsProvider
	duration time.Duration
	sendMFA  bool
}

// assumeRole builds the (possibly cached) AssumeRole of p over src.
// chained says src returns temporary credentials, which AWS lets assume a
// role for one hour at most.
func (b *builder) assumeRole(p *config.Profile, src aws.CredentialsProvider, chained bool) aws.CredentialsProvider {
	ar := &assumeRoleProvider{b: b, p: p, source: src, duration: p.AssumeRoleDuration}
	step := PlanStep{Kind: KindAssumeRole, Action: "AssumeRole", RoleARN: p.RoleARN, SessionName: p.RoleSessionName,
		ExternalID: p.ExternalID != "", SourceIdentity: p.SourceIdentity, SessionTags: sessionTagList(p),
		TransitiveTags: p.TransitiveSessionTags, Region: p.Region}
	if chained && ar.duration > maxChainedRoleDuration {
		b.chain.opts.Logf("profile %s: capping AssumeRole duration from %s to AWS maximum %s for role chaining", p.ProfileName, ar.duration, maxChainedRoleDuration)
		step.RequestedSeconds = durationSeconds(ar.duration)
		ar.duration = maxChainedRoleDuration
	}
	step.DurationSeconds = durationSeconds(ar.duration)
	ar.sendMFA = p.MFASerial != "" && p.MFASerial != b.sessionSerial
	if p.MFASerial != "" && !ar.sendMFA {
		b.chain.opts.Logf("profile %s: AssumeRole without MFA code (chained MFA: the session already has %s)", p.ProfileName, p.MFASerial)
		step.MFAChained = p.MFASerial
	}
	if ar.sendMFA {
		step.MFASerial, step.MFAProcess = p.MFASerial, mfaProcessFor(p) != ""
	}
	b.plan(step, p)
	if step.RequestedSeconds != 0 {
		b.note("duration capped from %s to %s: AWS allows a role assumed with temporary credentials (role chaining) %s at most",
			p.AssumeRoleDuration, maxChainedRoleDuration, maxChainedRoleDuration)
	}
	serial := ""
	if ar.sendMFA {
		serial = p.MFASerial
	} else if !b.chain.opts.CacheRoles {
		return ar
	}
	return b.cached(p, KindAssumeRole, serial, roleFingerprint(p), ar)
}

func (a *assumeRoleProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	client, err := a.b.stsClient(ctx, a.p, a.source)
	if err != nil {
		return aws.Credentials{}, err
	}
	in := a.input()
	if a.sendMFA {
		code, err := a.b.mfaCode(ctx, a.p)
		if err != nil {
			return aws.Credentials{}, err
		}
		in.SerialNumber, in.TokenCode = aws.String(a.p.MFASerial), aws.String(code)
	}
	a.b.chain.opts.Logf("profile %s: calling AssumeRole %s (session name %s, duration %s, MFA %s)",
		a.p.ProfileName, a.p.RoleARN, aws.ToString(in.RoleSessionName), a.duration, yesNo(a.sendMFA))
	out, err := client.AssumeRole(ctx, in)
	if err != nil {
		return aws.Credentials{}, err
	}
	creds, err := a.b.issued(a.p, "AssumeRole", out.Credentials, out.ResultMetadata, KindAssumeRole)
	if err == nil {
		a.b.record(Step{Kind: KindAssumeRole, Profile: a.p.ProfileName, RoleARN: a.p.RoleARN,
			SessionName: aws.ToString(in.RoleSessionName)}.withMFA(aws.ToString(in.SerialNumber)))
	}
	return creds, err
}

func (a *assumeRoleProvider) input() *sts.AssumeRoleInput {
	in := &sts.AssumeRoleInput{
		RoleArn:         aws.String(a.p.RoleARN),
		RoleSessionName: aws.String(roleSessionName(a.p, a.b.chain.opts.Now())),
		DurationSeconds: seconds(a.duration),
	}
	if a.p.ExternalID != "" {
		in.ExternalId = aws.String(a.p.ExternalID)
	}
	if a.p.SourceIdentity != "" {
		in.SourceIdentity = aws.String(a.p.SourceIdentity)
	}
	for _, k := range sortedKeys(a.p.SessionTags) {
		in.Tags = append(in.Tags, ststypes.Tag{Key: aws.String(k), Value: aws.String(a.p.SessionTags[k])})
	}
	in.TransitiveTagKeys = a.p.TransitiveSessionTags
	return in
}

// stsClient gets the source's credentials first, so a failure to read them
// is reported as itself rather than inside the SDK's signing error, then
// returns an STS client signing with them.
func (b *builder) stsClient(ctx context.Context, p *config.Profile, source aws.CredentialsProvider) (*sts.Client, error) {
	creds, err := source.Retrieve(ctx)
	if err != nil {
		return nil, err
	}
	return b.chain.opts.AWS.stsClient(ctx, p, staticCredentials(creds))
}

// staticCredentials provides fixed credentials.
type staticCredentials aws.Credentials

// Retrieve returns the credentials.
func (s staticCredentials) Retrieve(context.Context) (aws.Credentials, error) {
	return aws.Credentials(s), nil
}

// roleSessionName is role_session_name, else the current UTC time in Unix
// nanoseconds, as aws-vault names sessions.
func roleSessionName(p *config.Profile, now time.Time) string {
	if p.RoleSessionName != "" {
		return p.RoleSessionName
	}
	return strconv.FormatInt(now.UTC().UnixNano(), 10)
}

// mfaCode asks the MFA source for p's device.
func (b *builder) mfaCode(ctx context.Context, p *config.Profile) (string, error) {
	if b.chain.opts.MFA == nil {
		return "", fmt.Errorf("MFA code for %s: %w", p.MFASerial, ErrNoMFASource)
	}
	b.chain.opts.Logf("profile %s: asking for an MFA code for %s", p.ProfileName, p.MFASerial)
	return b.chain.opts.MFA.MFAToken(ctx, MFARequest{ProfileName: p.ProfileName, Serial: p.MFASerial, Process: mfaProcessFor(p)})
}

// mfaProcessFor is p's mfa_process, else that of a profile using p (toward
// the target) with the same MFA serial: a role's mfa_process can supply the
// code for the session its source gets with that device.
func mfaProcessFor(p *config.Profile) string {
	for q := p; q != nil; q = q.ChainedFromProfile {
		if q.MFAProcess != "" && q.MFASerial == p.MFASerial {
			return q.MFAProcess
		}
	}
	return ""
}

// fromSTS converts STS's answer; an answer without credentials (a broken
// proxy) is an error, not a crash.
func fromSTS(c *ststypes.Credentials, source string) (aws.Credentials, error) {
	if c == nil || c.AccessKeyId == nil || c.SecretAccessKey == nil {
		return aws.Credentials{}, fmt.Errorf("%s: AWS answered without credentials", source)
	}
	return aws.Credentials{
		AccessKeyID:     aws.ToString(c.AccessKeyId),
		SecretAccessKey: aws.ToString(c.SecretAccessKey),
		SessionToken:    aws.ToString(c.SessionToken),
		CanExpire:       true,
		Expires:         aws.ToTime(c.Expiration),
		Source:          source,
	}, nil
}

func seconds(d time.Duration) *int32 { return aws.Int32(int32(d / time.Second)) }

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
