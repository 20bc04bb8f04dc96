package vault

import (
	"context"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// AssumeRoleARN assumes roleARN with src's credentials, for the ECS
// server's /role-arn/<ARN> path, as aws-vault v7 does there: the target
// profile's region and STS endpoint, a session name of the UTC Unix time in
// nanoseconds, the profile's AssumeRole duration (at most an hour when src
// is temporary, as AWS allows for a chained role), and no MFA, tags,
// external ID or source identity. The result is not put in the session
// cache: the server keeps it in memory.
func (c *Chain) AssumeRoleARN(ctx context.Context, src aws.CredentialsProvider, roleARN string) (aws.Credentials, error) {
	creds, err := src.Retrieve(ctx)
	if err != nil {
		return aws.Credentials{}, err
	}
	client, err := c.opts.AWS.stsClient(ctx, c.target, staticCredentials(creds))
	if err != nil {
		return aws.Credentials{}, err
	}
	duration := c.target.AssumeRoleDuration
	if creds.SessionToken != "" && duration > maxChainedRoleDuration {
		duration = maxChainedRoleDuration
	}
	now := c.opts.Now()
	in := &sts.AssumeRoleInput{
		RoleArn:         aws.String(roleARN),
		RoleSessionName: aws.String(strconv.FormatInt(now.UTC().UnixNano(), 10)),
		DurationSeconds: seconds(duration),
	}
	c.opts.Logf("calling AssumeRole %s for the ECS server (session name %s, duration %s)", roleARN, aws.ToString(in.RoleSessionName), duration)
	out, err := client.AssumeRole(ctx, in)
	if err != nil {
		return aws.Credentials{}, err
	}
	return issuedTo("role "+roleARN, "AssumeRole", out.Credentials, out.ResultMetadata, KindAssumeRole, c.opts.Now())
}
