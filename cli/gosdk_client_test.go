package cli_test

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// goSDKCallerIdentity is the "gosdk-whoami [PROFILE]" program of the
// scripts: an aws-sdk-go-v2 client loading PROFILE from the shared config
// as any Go program does (credential_process included, HTTPS_PROXY and
// AWS_CA_BUNDLE honoured), or without PROFILE the SDK's default chain
// (environment, ECS container credentials, EC2 metadata), printing its
// GetCallerIdentity ARN.
func goSDKCallerIdentity() int {
	if len(os.Args) > 2 {
		fmt.Fprintln(os.Stderr, "usage: gosdk-whoami [profile]")
		return 2
	}
	ctx := context.Background()
	var opts []func(*config.LoadOptions) error
	if len(os.Args) == 2 {
		opts = append(opts, config.WithSharedConfigProfile(os.Args[1]))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gosdk-whoami:", err)
		return 1
	}
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "gosdk-whoami:", err)
		return 1
	}
	fmt.Println(aws.ToString(out.Arn))
	return 0
}
