package vaulttest

import "testing"

// The EU sovereign cloud's STS and IAM hosts, as the SDK resolves them for
// eusc-de-east-1, are served (console login of that partition).
func TestClassifyEUSCHosts(t *testing.T) {
	for host, want := range map[string]endpoint{
		"sts.eusc-de-east-1.amazonaws.eu": {serviceSTS, "eusc-de-east-1"},
		"iam.eusc-de-east-1.amazonaws.eu": {serviceIAM, "eusc-de-east-1"},
		"sts.eu-west-1.amazonaws.eu":      {},
		"iam.amazonaws.eu":                {},
		"sts.eusc-evil.amazonaws.eu":      {},
	} {
		if got := classifyHost(host); got != want {
			t.Errorf("classifyHost(%q) = %+v, want %+v", host, got, want)
		}
	}
}
