package vault

import (
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsvault/aws-vault/vault/config"
)

// LoginCallRegion is the region of the AWS calls a login makes when no
// region is configured anywhere: the region of the us-east-1 sign-in host
// such a login goes through. Other commands fail without a region.
const LoginCallRegion = "us-east-1"

// ErrNoLoginSource is login's v7 error when it has neither a profile nor
// credentials in the environment.
var ErrNoLoginSource = errors.New("argument 'profile' not provided, nor any AWS env vars found. Try --help")

// FillLoginRegion gives every profile of p's chain that has no region
// LoginCallRegion, so that the chain's calls can be made, and reports
// whether the target had none. Build the ConsoleTarget before: it must see
// the region as configured.
func FillLoginRegion(p *config.Profile) bool {
	empty := p.Region == ""
	for _, c := range p.Chain() {
		if c.Region == "" {
			c.Region = LoginCallRegion
		}
	}
	return empty
}

// EnvCredentials returns the credentials in the environment as the AWS
// SDKs read them: AWS_ACCESS_KEY_ID (or AWS_ACCESS_KEY),
// AWS_SECRET_ACCESS_KEY (or AWS_SECRET_KEY) and AWS_SESSION_TOKEN. With no
// access key id it returns ErrNoLoginSource.
func EnvCredentials(getenv func(string) string) (aws.Credentials, error) {
	id := firstEnv(getenv, "AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY")
	if id == "" {
		return aws.Credentials{}, ErrNoLoginSource
	}
	secret := firstEnv(getenv, "AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY")
	if secret == "" {
		return aws.Credentials{}, errors.New("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: " +
			"set both, or name a profile")
	}
	return aws.Credentials{
		AccessKeyID:     id,
		SecretAccessKey: secret,
		SessionToken:    getenv("AWS_SESSION_TOKEN"),
		Source:          "environment",
	}, nil
}

// EnvLoginProfile is the profile of a login with credentials from the
// environment: region from region (--region), AWS_REGION or
// AWS_DEFAULT_REGION; federation duration from duration (--duration),
// AWS_FEDERATION_TOKEN_TTL or the default.
func EnvLoginProfile(getenv func(string) string, region string, duration time.Duration) (*config.Profile, error) {
	p := &config.Profile{
		Region:                     region,
		STSRegionalEndpoints:       getenv("AWS_STS_REGIONAL_ENDPOINTS"),
		GetFederationTokenDuration: duration,
	}
	if p.Region == "" {
		p.Region = firstEnv(getenv, "AWS_REGION", "AWS_DEFAULT_REGION")
	}
	if p.GetFederationTokenDuration == 0 {
		const name = "AWS_FEDERATION_TOKEN_TTL"
		d, err := config.EnvDuration(name, getenv(name), 0, "1h or 90m")
		if err != nil {
			return nil, err
		}
		p.GetFederationTokenDuration = d
	}
	p.SetDefaults()
	return p, nil
}

// firstEnv returns the first non-empty value of names.
func firstEnv(getenv func(string) string, names ...string) string {
	for _, n := range names {
		if v := getenv(n); v != "" {
			return v
		}
	}
	return ""
}
