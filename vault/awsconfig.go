package vault

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdkconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	smithyendpoints "github.com/aws/smithy-go/endpoints"
	"github.com/aws/smithy-go/logging"
	"github.com/aws/smithy-go/middleware"
	"github.com/awsvault/aws-vault/vault/config"
)

// ErrNoRegion means no region is configured anywhere for a profile.
var ErrNoRegion = errors.New("no AWS region: set region in the profile or [default], AWS_REGION, or use --region")

// AWSConfigLoader builds SDK configuration for calls made for a profile. It
// uses the SDK's own loading, so HTTPS_PROXY/NO_PROXY, AWS_CA_BUNDLE,
// SSL_CERT_FILE, AWS_ENDPOINT_URL[_<SERVICE>], retries and default endpoints
// behave as in every AWS tool. Shared config and credentials files are not
// read: the profile was already resolved by config.Loader. AWS_PROFILE must
// not be set in the process (the SDK would insist on finding that profile
// in the files); cli.System takes it out, aws-vault never reads it.
//
// Every call is bounded (see DefaultAWSTimeout): the HTTP client bounds
// each attempt and a deadline on the operation bounds its retries.
type AWSConfigLoader struct {
	// Getenv reads the environment (for the endpoint precedence).
	Getenv func(string) string
	// Logf receives the SDK's own log lines (--debug); nil discards them,
	// so SDK warnings never reach a user's stderr otherwise.
	Logf func(format string, args ...any)
	// Timeout bounds each AWS call, retries included; zero means
	// DefaultAWSTimeout.
	Timeout time.Duration
	// Options are applied last; tests use them to inject an HTTP client.
	Options []func(*sdkconfig.LoadOptions) error
}

// Load returns the configuration for profile p signing with creds.
func (l *AWSConfigLoader) Load(ctx context.Context, p *config.Profile, creds aws.CredentialsProvider) (aws.Config, error) {
	if p.Region == "" {
		return aws.Config{}, fmt.Errorf("profile %s: %w", p.ProfileName, ErrNoRegion)
	}
	opts := []func(*sdkconfig.LoadOptions) error{
		sdkconfig.WithRegion(p.Region),
		sdkconfig.WithSharedConfigFiles([]string{}),
		sdkconfig.WithSharedCredentialsFiles([]string{}),
		sdkconfig.WithLogger(sdkLogger{l.Logf}),
		sdkconfig.WithHTTPClient(boundedHTTPClient(l.timeout())),
		sdkconfig.WithAPIOptions([]func(*middleware.Stack) error{addCallDeadline(l.timeout())}),
	}
	if creds != nil {
		opts = append(opts, sdkconfig.WithCredentialsProvider(creds))
	}
	// endpoint_url of the profile, unless the environment names one (the
	// SDK's precedence: environment over config file).
	if p.EndpointURL != "" && l.Getenv("AWS_ENDPOINT_URL") == "" {
		opts = append(opts, sdkconfig.WithBaseEndpoint(p.EndpointURL))
	}
	cfg, err := sdkconfig.LoadDefaultConfig(ctx, append(opts, l.Options...)...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("profile %s: loading AWS configuration: %w", p.ProfileName, err)
	}
	return cfg, nil
}

// timeout is the bound of one AWS call.
func (l *AWSConfigLoader) timeout() time.Duration {
	if l.Timeout > 0 {
		return l.Timeout
	}
	return DefaultAWSTimeout
}

// stsClient returns an STS client for profile p, honouring
// sts_regional_endpoints = legacy.
func (l *AWSConfigLoader) stsClient(ctx context.Context, p *config.Profile, creds aws.CredentialsProvider) (*sts.Client, error) {
	cfg, err := l.Load(ctx, p, creds)
	if err != nil {
		return nil, err
	}
	return sts.NewFromConfig(cfg, l.stsOptions(p)), nil
}

// stsOptions are the STS client options of profile p.
func (l *AWSConfigLoader) stsOptions(p *config.Profile) func(*sts.Options) {
	return func(o *sts.Options) {
		if p.STSRegionalEndpoints == "legacy" {
			o.EndpointResolverV2 = globalSTSResolver{sts.NewDefaultEndpointResolverV2()}
		}
		l.serviceEndpoint(p, "AWS_ENDPOINT_URL_STS", &o.BaseEndpoint)
	}
}

// serviceEndpoint gives the service's variable (AWS_ENDPOINT_URL_<SERVICE>,
// named by envVar) precedence over the
// profile's endpoint_url, as the SDK's own precedence does (environment
// over config file): Load passes endpoint_url as an explicit option, which
// the SDK would otherwise prefer to the service's variable.
func (l *AWSConfigLoader) serviceEndpoint(p *config.Profile, envVar string, base **string) {
	if p.EndpointURL == "" || strings.EqualFold(l.Getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true") {
		return
	}
	if v := l.Getenv(envVar); v != "" {
		*base = aws.String(v)
	}
}

// iamClient returns an IAM client for profile p.
//
// The SDK clients appear only in unexported methods and fields: the
// command-line parser links text/template, whose reflection makes the
// linker keep every exported method of every type reachable through an
// interface, and an exported method returning *iam.Client would keep all
// of IAM's operations (3.5 MB of the binary) for the four aws-vault calls.
func (l *AWSConfigLoader) iamClient(ctx context.Context, p *config.Profile, creds aws.CredentialsProvider) (*iam.Client, error) {
	cfg, err := l.Load(ctx, p, creds)
	if err != nil {
		return nil, err
	}
	return iam.NewFromConfig(cfg, func(o *iam.Options) { l.serviceEndpoint(p, "AWS_ENDPOINT_URL_IAM", &o.BaseEndpoint) }), nil
}

// ssoClients returns the SSO OIDC and SSO portal clients for profile p's
// IAM Identity Center in region (its sso_region). Their calls are not
// signed.
func (l *AWSConfigLoader) ssoClients(ctx context.Context, p *config.Profile, region string) (*ssooidc.Client, *sso.Client, error) {
	q := *p
	q.Region = region
	cfg, err := l.Load(ctx, &q, aws.AnonymousCredentials{})
	if err != nil {
		return nil, nil, err
	}
	return ssooidc.NewFromConfig(cfg, func(o *ssooidc.Options) { l.serviceEndpoint(p, "AWS_ENDPOINT_URL_SSO_OIDC", &o.BaseEndpoint) }),
		sso.NewFromConfig(cfg, func(o *sso.Options) { l.serviceEndpoint(p, "AWS_ENDPOINT_URL_SSO", &o.BaseEndpoint) }), nil
}

// globalSTSResolver asks the SDK's endpoint rules for the global STS
// endpoint, which they give for the legacy regions only.
type globalSTSResolver struct{ next sts.EndpointResolverV2 }

func (r globalSTSResolver) ResolveEndpoint(ctx context.Context, params sts.EndpointParameters) (smithyendpoints.Endpoint, error) {
	params.UseGlobalEndpoint = aws.Bool(true)
	return r.next.ResolveEndpoint(ctx, params)
}

// sdkLogger sends the SDK's log lines to the debug log.
type sdkLogger struct{ logf func(string, ...any) }

// Logf implements logging.Logger.
func (s sdkLogger) Logf(c logging.Classification, format string, args ...any) {
	if s.logf != nil {
		s.logf("aws sdk "+string(c)+": "+format, args...)
	}
}
