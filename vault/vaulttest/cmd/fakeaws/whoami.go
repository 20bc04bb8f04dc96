package main

import (
	"context"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// whoami is a minimal AWS client for demos on machines without the AWS
// CLI: it signs GetCallerIdentity with the credentials in the environment
// (as aws-vault exec provides them) and prints the caller's ARN.
func whoami(ctx context.Context, stdout, stderr io.Writer) int {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "fakeaws: %v\n", err)
		return 1
	}
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		fmt.Fprintf(stderr, "fakeaws: %v\n", err)
		return 1
	}
	fmt.Fprintln(stdout, aws.ToString(out.Arn))
	return 0
}
