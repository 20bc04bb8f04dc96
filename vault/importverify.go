package vault

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/awsvault/aws-vault/vault/config"
)

// VerifyAccessKey asks AWS (sts:GetCallerIdentity, which needs no
// permission) whether it accepts creds, for profile p's region and
// endpoints (us-east-1 when p has no region). It returns the identity ARN.
func VerifyAccessKey(ctx context.Context, loader *AWSConfigLoader, p *config.Profile, creds aws.Credentials) (string, error) {
	cp := *p
	if cp.Region == "" {
		cp.Region = "us-east-1"
	}
	client, err := loader.stsClient(ctx, &cp, staticCredentials(creds))
	if err != nil {
		return "", err
	}
	out, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", fmt.Errorf("AWS did not accept the access key %s: %w", MaskKeyID(creds.AccessKeyID), err)
	}
	return aws.ToString(out.Arn), nil
}
