package vault

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/awsvault/aws-vault/vault/config"
)

// ResolvePlanEndpoints fills in the endpoint of each planned AWS call, as
// the clients exec builds would resolve it (AWS_ENDPOINT_URL[_<SERVICE>],
// endpoint_url, sts_regional_endpoints, FIPS and dual-stack settings
// included). Nothing is sent. A step that cannot be resolved (no region)
// gets a note saying why, and the error is returned for the first one.
func (l *AWSConfigLoader) ResolvePlanEndpoints(ctx context.Context, steps []PlanStep) error {
	var first error
	for i := range steps {
		s := &steps[i]
		if s.Action == "" || s.profile == nil {
			continue
		}
		ep, err := l.endpoint(ctx, s)
		if err != nil {
			s.Notes = append(s.Notes, err.Error())
			if first == nil && s.Runs() {
				first = err
			}
			continue
		}
		s.Endpoint = ep
	}
	return first
}

func (l *AWSConfigLoader) endpoint(ctx context.Context, s *PlanStep) (string, error) {
	p := s.profile
	if s.Kind == KindSSO {
		q := *p
		q.Region = s.Region
		p = &q
	}
	cfg, err := l.Load(ctx, p, aws.AnonymousCredentials{})
	if err != nil {
		return "", err
	}
	if s.Kind == KindSSO {
		o := sso.NewFromConfig(cfg, func(o *sso.Options) { l.serviceEndpoint(p, "AWS_ENDPOINT_URL_SSO", &o.BaseEndpoint) }).Options()
		ep, err := o.EndpointResolverV2.ResolveEndpoint(ctx, sso.EndpointParameters{Region: aws.String(o.Region),
			Endpoint: o.BaseEndpoint, UseFIPS: aws.Bool(o.EndpointOptions.UseFIPSEndpoint == aws.FIPSEndpointStateEnabled),
			UseDualStack: aws.Bool(o.EndpointOptions.UseDualStackEndpoint == aws.DualStackEndpointStateEnabled)})
		if err != nil {
			return "", fmt.Errorf("profile %s: resolving the SSO portal endpoint: %w", s.Profile, err)
		}
		return ep.URI.String(), nil
	}
	return l.stsEndpoint(ctx, cfg, p)
}

// stsEndpoint resolves the STS endpoint of p's client as stsClient builds it.
func (l *AWSConfigLoader) stsEndpoint(ctx context.Context, cfg aws.Config, p *config.Profile) (string, error) {
	o := sts.NewFromConfig(cfg, l.stsOptions(p)).Options()
	ep, err := o.EndpointResolverV2.ResolveEndpoint(ctx, sts.EndpointParameters{Region: aws.String(o.Region),
		Endpoint: o.BaseEndpoint, UseFIPS: aws.Bool(o.EndpointOptions.UseFIPSEndpoint == aws.FIPSEndpointStateEnabled),
		UseDualStack:      aws.Bool(o.EndpointOptions.UseDualStackEndpoint == aws.DualStackEndpointStateEnabled),
		UseGlobalEndpoint: aws.Bool(false)})
	if err != nil {
		return "", fmt.Errorf("profile %s: resolving the STS endpoint: %w", p.ProfileName, err)
	}
	return ep.URI.String(), nil
}

// ClockSkew compares the clock now reads with the Date header of p's STS
// endpoint, reached with the HTTP client exec's calls use (proxy and CA
// bundle settings included). It sends one unsigned GET to the endpoint's
// root, which is no AWS API call. A positive skew means the local clock is
// behind.
func (l *AWSConfigLoader) ClockSkew(ctx context.Context, p *config.Profile, now func() time.Time) (string, time.Duration, error) {
	cfg, err := l.Load(ctx, p, aws.AnonymousCredentials{})
	if err != nil {
		return "", 0, err
	}
	ep, err := l.stsEndpoint(ctx, cfg, p)
	if err != nil {
		return "", 0, err
	}
	ctx, cancel := context.WithTimeout(ctx, l.timeout())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ep+"/", nil)
	if err != nil {
		return ep, 0, err
	}
	before := now()
	resp, err := cfg.HTTPClient.Do(req)
	if err != nil {
		return ep, 0, fmt.Errorf("reaching %s: %w", ep, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	after := now()
	date, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return ep, 0, fmt.Errorf("%s answered without a Date header", ep)
	}
	local := before.Add(after.Sub(before) / 2)
	// Date has whole seconds: a skew within a second is none.
	return ep, date.Sub(local.Truncate(time.Second)).Round(time.Second), nil
}
