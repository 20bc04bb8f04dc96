package cli

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsvault/aws-vault/vault/config"
)

// credentialsResult is what a command gets from the chain.
type credentialsResult struct {
	Profile *config.Profile
	Creds   aws.Credentials
}
