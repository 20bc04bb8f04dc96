package vault_test

import (
	"testing"

	"github.com/awsvault/aws-vault/vault"
)

func TestConsoleTarget(t *testing.T) {
	for _, tc := range []struct {
		region, path, prefix, destination, logout string
	}{
		{"us-east-1", "", "https://signin.aws.amazon.com/federation",
			"https://us-east-1.console.aws.amazon.com/console/home?region=us-east-1", "https://us-east-1.signin.aws.amazon.com/oauth"},
		{"eu-west-1", "s3", "https://signin.aws.amazon.com/federation",
			"https://eu-west-1.console.aws.amazon.com/s3?region=eu-west-1", "https://us-east-1.signin.aws.amazon.com/oauth"},
		{"eu-west-1", "/ec2/home", "https://signin.aws.amazon.com/federation",
			"https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1", "https://us-east-1.signin.aws.amazon.com/oauth"},
		{"eu-west-1", "s3/buckets?tab=objects", "https://signin.aws.amazon.com/federation",
			"https://eu-west-1.console.aws.amazon.com/s3/buckets?tab=objects&region=eu-west-1", "https://us-east-1.signin.aws.amazon.com/oauth"},
		{"cn-north-1", "", "https://signin.amazonaws.cn/federation",
			"https://cn-north-1.console.amazonaws.cn/console/home?region=cn-north-1", "https://signin.amazonaws.cn/oauth"},
		{"cn-northwest-1", "vpc", "https://signin.amazonaws.cn/federation",
			"https://cn-northwest-1.console.amazonaws.cn/vpc?region=cn-northwest-1", "https://signin.amazonaws.cn/oauth"},
		{"us-gov-west-1", "", "https://signin.amazonaws-us-gov.com/federation",
			"https://us-gov-west-1.console.amazonaws-us-gov.com/console/home?region=us-gov-west-1", "https://signin.amazonaws-us-gov.com/oauth"},
		{"eusc-de-east-1", "iam", "https://signin.amazonaws-eusc.eu/federation",
			"https://eusc-de-east-1.console.amazonaws-eusc.eu/iam?region=eusc-de-east-1", "https://signin.amazonaws-eusc.eu/oauth"},
		{"", "", "https://us-east-1.signin.aws.amazon.com/federation",
			"https://console.aws.amazon.com/", "https://us-east-1.signin.aws.amazon.com/oauth"},
		{"", "s3", "https://us-east-1.signin.aws.amazon.com/federation",
			"https://console.aws.amazon.com/", "https://us-east-1.signin.aws.amazon.com/oauth"},
	} {
		got, err := vault.NewConsoleTarget(tc.region, tc.path)
		if err != nil {
			t.Errorf("%q %q: %v", tc.region, tc.path, err)
			continue
		}
		want := vault.ConsoleTarget{Prefix: tc.prefix, Destination: tc.destination, LogoutPrefix: tc.logout}
		if got != want {
			t.Errorf("%q %q:\n got  %+v\n want %+v", tc.region, tc.path, got, want)
		}
	}
}

func TestConsoleTargetRejectsBadRegions(t *testing.T) {
	for _, region := range []string{"evil.example", "us-east-1/x", "EU-WEST-1", "us east 1", "-us-east-1", "us-east-1.", "a#b"} {
		if _, err := vault.NewConsoleTarget(region, ""); err == nil {
			t.Errorf("region %q accepted", region)
		}
	}
}

func TestLoginURLs(t *testing.T) {
	target, err := vault.NewConsoleTarget("us-east-1", "")
	if err != nil {
		t.Fatal(err)
	}
	const token = "tok+en/=&x"
	if got, want := target.LoginURL(token), "https://signin.aws.amazon.com/federation?Action=login&Issuer=aws-vault"+
		"&Destination=https%3A%2F%2Fus-east-1.console.aws.amazon.com%2Fconsole%2Fhome%3Fregion%3Dus-east-1"+
		"&SigninToken=tok%2Ben%2F%3D%26x"; got != want {
		t.Errorf("LoginURL:\n got  %s\n want %s", got, want)
	}
	if got, want := target.LogoutLoginURL(token), "https://us-east-1.signin.aws.amazon.com/oauth?Action=logout&redirect_uri="+
		"https%3A%2F%2Fsignin.aws.amazon.com%2Ffederation%3FAction%3Dlogin%26Issuer%3Daws-vault"+
		"%26Destination%3Dhttps%3A%2F%2Fus-east-1.console.aws.amazon.com%2Fconsole%2Fhome%3Fregion%3Dus-east-1"+
		"%26SigninToken%3Dtok%2Ben%2F%3D%26x"; got != want {
		t.Errorf("LogoutLoginURL:\n got  %s\n want %s", got, want)
	}
}
