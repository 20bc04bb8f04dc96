package vault_test

import (
	"testing"
)

// With the emulator reached only as an HTTPS proxy, every call goes to the
// SDK's default endpoint for the profile's region and partition, signed
// for the right region.
func TestDefaultEndpointsThroughProxy(t *testing.T) {
	for _, tc := range []struct {
		region, sts, host, signing string
	}{
		{"us-east-1", "", "sts.us-east-1.amazonaws.com", "us-east-1"},
		{"eu-west-1", "", "sts.eu-west-1.amazonaws.com", "eu-west-1"},
		{"eu-west-1", "legacy", "sts.amazonaws.com", "us-east-1"},
		{"us-east-1", "legacy", "sts.amazonaws.com", "us-east-1"},
		{"ap-east-1", "legacy", "sts.ap-east-1.amazonaws.com", "ap-east-1"},
		{"cn-north-1", "", "sts.cn-north-1.amazonaws.com.cn", "cn-north-1"},
		{"us-gov-west-1", "", "sts.us-gov-west-1.amazonaws.com", "us-gov-west-1"},
	} {
		t.Run(tc.region+"/"+tc.sts, func(t *testing.T) {
			e := newChainEnv(t, "[profile p]\nregion = "+tc.region+"\nsts_regional_endpoints = "+tc.sts+"\n", map[string]string{"p": "bob"})
			e.viaProxy()
			if _, err := e.get("p", getOpts{}); err != nil {
				t.Fatal(err)
			}
			r := e.aws.Requests()
			if len(r) != 1 || r[0].Host != tc.host || r[0].Region != tc.signing || r[0].Code != "OK" {
				t.Errorf("requests: %+v; want host %s signed for %s", r, tc.host, tc.signing)
			}
		})
	}
}

// AWS_STS_REGIONAL_ENDPOINTS overrides the profile's setting.
func TestSTSRegionalEndpointsFromEnvironment(t *testing.T) {
	e := newChainEnv(t, "[profile p]\nregion = eu-west-1\n", map[string]string{"p": "bob"})
	e.env["AWS_STS_REGIONAL_ENDPOINTS"] = "legacy"
	e.viaProxy()
	if _, err := e.get("p", getOpts{}); err != nil {
		t.Fatal(err)
	}
	if r := e.aws.Requests(); len(r) != 1 || r[0].Host != "sts.amazonaws.com" {
		t.Errorf("requests: %+v", r)
	}
}

// AWS_ENDPOINT_URL_STS beats the profile's endpoint_url, as in the SDK's
// precedence (environment over config file); another service's variable
// does not.
func TestServiceEndpointBeatsEndpointURL(t *testing.T) {
	for _, tc := range []struct {
		name, env, host string
	}{
		{"AWS_ENDPOINT_URL_STS", "https://sts.us-east-1.amazonaws.com", "sts.us-east-1.amazonaws.com"},
		{"AWS_ENDPOINT_URL_IAM", "https://iam.amazonaws.com", "sts.amazonaws.com"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newChainEnv(t, "[profile p]\nregion = us-east-1\nendpoint_url = https://sts.amazonaws.com\n", map[string]string{"p": "bob"})
			e.env[tc.name] = tc.env
			e.viaProxy()
			if _, err := e.get("p", getOpts{}); err != nil {
				t.Fatal(err)
			}
			if r := e.aws.Requests(); len(r) != 1 || r[0].Host != tc.host {
				t.Errorf("requests: %+v; want host %s", r, tc.host)
			}
		})
	}
}
