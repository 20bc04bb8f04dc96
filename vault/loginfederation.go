package vault

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/awsvault/aws-vault/vault/config"
)

// allowAllPolicy is the session policy of the federation token: the
// console session gets everything the user's own policies allow.
const allowAllPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

// maxFederationName is GetFederationToken's limit on Name.
const maxFederationName = 32

// ConsoleLogin turns credentials into a console sign-in, as aws-vault v7's
// login does (its cli/login.go): a federation token for IAM users, then a
// sign-in token from the federation endpoint.
type ConsoleLogin struct {
	AWS *AWSConfigLoader
	// Logf writes --debug lines; it never receives a secret.
	Logf func(format string, args ...any)
	// Now is the clock credentials STS issues are checked against (nil:
	// time.Now).
	Now func() time.Time
}

// LoginSource is what a console login starts from.
type LoginSource struct {
	// Profile gives the region of the calls and the federation duration;
	// its ProfileName is "" for credentials from the environment.
	Profile *config.Profile
	// Kind is the kind of the provider that gave Creds (Chain.Kind); ""
	// for credentials from the environment.
	Kind  string
	Creds aws.Credentials
	// Steps are the chain's (Chain.RetrieveSteps), for the issuance log.
	Steps []Step
}

// label names the source in messages.
func (s LoginSource) label() string {
	if s.Profile.ProfileName == "" {
		return "credentials from the environment"
	}
	return "profile " + s.Profile.ProfileName
}

// Credentials returns credentials the console accepts: role, web identity
// and SSO credentials as they are, else, after GetCallerIdentity, assumed
// role sessions as they are and IAM users' keys exchanged for a federation
// token (GetUser, then GetFederationToken).
func (l *ConsoleLogin) Credentials(ctx context.Context, src LoginSource) (aws.Credentials, error) {
	switch src.Kind {
	case KindAssumeRole, KindWebIdentity, KindSSO:
		l.logf("login: %s: using the %s credentials directly", src.label(), src.Kind)
		return src.Creds, nil
	}
	provider := staticCredentials(src.Creds)
	stsClient, err := l.AWS.stsClient(ctx, src.Profile, provider)
	if err != nil {
		return aws.Credentials{}, err
	}
	id, err := stsClient.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return aws.Credentials{}, err
	}
	arn := aws.ToString(id.Arn)
	l.logf("login: %s: the credentials are %s", src.label(), arn)
	resource := arnResource(arn)
	if strings.HasPrefix(resource, "assumed-role/") || strings.HasPrefix(resource, "federated-user/") {
		return src.Creds, nil
	}
	if src.Creds.SessionToken != "" {
		return aws.Credentials{}, &SessionCredentialsError{ARN: arn}
	}
	name, err := l.userName(ctx, src, provider)
	if err != nil {
		return aws.Credentials{}, err
	}
	return l.federationToken(ctx, src, stsClient, name)
}

// userName asks IAM GetUser for the user name. When IAM refuses, the name
// is read from the refusal ("User: arn:...:user/<path>/<name> is not
// authorized"), as aws-vault does.
func (l *ConsoleLogin) userName(ctx context.Context, src LoginSource, provider aws.CredentialsProvider) (string, error) {
	iamClient, err := l.AWS.iamClient(ctx, src.Profile, provider)
	if err != nil {
		return "", err
	}
	out, err := iamClient.GetUser(ctx, &iam.GetUserInput{})
	if err != nil {
		name := userNameFromDenial(err)
		if name == "" {
			return "", err
		}
		l.logf("login: %s: IAM GetUser refused; user name %s taken from the refusal", src.label(), name)
		return name, nil
	}
	if out.User == nil {
		return "", fmt.Errorf("iam GetUser answered without a user")
	}
	if name := aws.ToString(out.User.UserName); name != "" {
		return name, nil
	}
	return lastARNSegment(aws.ToString(out.User.Arn)), nil
}

// federationToken calls GetFederationToken for user name.
func (l *ConsoleLogin) federationToken(ctx context.Context, src LoginSource, client *sts.Client, name string) (aws.Credentials, error) {
	if len(name) > maxFederationName {
		name = name[:maxFederationName]
	}
	d := src.Profile.GetFederationTokenDuration
	l.logf("login: %s: calling GetFederationToken (name %s, duration %s)", src.label(), name, d)
	out, err := client.GetFederationToken(ctx, &sts.GetFederationTokenInput{
		Name:            aws.String(name),
		Policy:          aws.String(allowAllPolicy),
		DurationSeconds: seconds(d),
	})
	if err != nil {
		if APIErrorCode(err) == "AccessDenied" {
			return aws.Credentials{}, &FederationDeniedError{Profile: src.Profile.ProfileName, User: name,
				MFA: src.Profile.HasMFASerial(), Err: err}
		}
		return aws.Credentials{}, err
	}
	now := time.Now
	if l.Now != nil {
		now = l.Now
	}
	return issuedTo(src.label(), "GetFederationToken", out.Credentials, out.ResultMetadata, "sts.GetFederationToken", now())
}

func (l *ConsoleLogin) logf(format string, args ...any) {
	if l.Logf != nil {
		l.Logf(format, args...)
	}
}

// arnResource returns the part of an ARN after its fifth colon.
func arnResource(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[5]
}

// lastARNSegment returns the last segment of an ARN's resource: the user
// name of arn:aws:iam::123456789012:user/path/name, "root" for
// arn:aws:iam::123456789012:root.
func lastARNSegment(arn string) string {
	resource := arnResource(arn)
	return resource[strings.LastIndex(resource, "/")+1:]
}

// deniedUser matches the caller in an AccessDenied message. It is
// compiled when first needed, not in package initialisation (which every
// call pays).
var deniedUser = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`User: (arn:[^:\s]+:iam::\d+:user/\S+) is not`)
})

// userNameFromDenial returns the user name in an AccessDenied refusal, or "".
func userNameFromDenial(err error) string {
	if APIErrorCode(err) != "AccessDenied" {
		return ""
	}
	m := deniedUser().FindStringSubmatch(err.Error())
	if m == nil {
		return ""
	}
	return lastARNSegment(m[1])
}

// FederationDeniedError is AWS refusing GetFederationToken to an IAM user.
// GetFederationToken cannot carry an MFA code, so a policy that requires
// MFA always refuses it; the way to the console is then a role.
type FederationDeniedError struct {
	Profile string // "" for credentials from the environment
	User    string // the federated user name asked for
	MFA     bool   // the profile has mfa_serial
	Err     error  // AWS's refusal
}

func (e *FederationDeniedError) Error() string {
	source := "the profile that holds this key"
	if e.Profile != "" {
		source = e.Profile
	}
	if e.MFA {
		return fmt.Sprintf("AWS denied GetFederationToken to IAM user %s: GetFederationToken cannot carry an MFA code, "+
			"so a policy that requires MFA refuses it; log in through a role profile with role_arn, mfa_serial and "+
			"source_profile = %s instead", e.User, source)
	}
	return fmt.Sprintf("AWS denied GetFederationToken to IAM user %s: allow sts:GetFederationToken for the user, or "+
		"log in through a role profile with role_arn and source_profile = %s (GetFederationToken cannot carry an MFA "+
		"code, so a policy that requires MFA always refuses it)", e.User, source)
}

// Unwrap returns AWS's refusal.
func (e *FederationDeniedError) Unwrap() error { return e.Err }

// SessionCredentialsError means the credentials are temporary but neither
// a role's nor a federated user's (GetSessionToken credentials): the
// console does not accept them and GetFederationToken refuses them.
type SessionCredentialsError struct {
	ARN string // their identity
}

func (e *SessionCredentialsError) Error() string {
	return fmt.Sprintf("the credentials are session credentials of %s, not a role's: the console does not accept them "+
		"and GetFederationToken refuses them; log in with a profile (aws-vault login PROFILE), or run login inside "+
		"aws-vault exec --no-session or the exec of a role profile", e.ARN)
}
