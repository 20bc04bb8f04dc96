package vaulttest

import (
	"net"
	"strings"
)

// Services the emulator tells apart.
const (
	serviceSTS    = "sts"
	serviceIAM    = "iam"
	serviceSignin = "signin"
	serviceProxy  = "proxy"
)

// endpoint is what a request's host name implies.
type endpoint struct {
	service string // "" for a plain endpoint URL host such as 127.0.0.1
	region  string // the signing region the host implies; "" for any
}

// classifyHost maps a Host header (port allowed) to the service and signing
// region the real AWS host name implies.
func classifyHost(hostport string) endpoint {
	host := strings.ToLower(stripPort(hostport))
	if ep, ok := stsHost(host); ok {
		return ep
	}
	if ep, ok := iamHost(host); ok {
		return ep
	}
	if signinHost(host) {
		return endpoint{service: serviceSignin}
	}
	if ep, ok := ssoHost(host); ok {
		return ep
	}
	return endpoint{}
}

// emulatedHost reports whether the proxy should serve host (no port).
func emulatedHost(host string) bool {
	return classifyHost(host).service != ""
}

// stsHost matches sts.amazonaws.com, sts.<region>.amazonaws.com,
// sts.<region>.amazonaws.com.cn and sts.<eusc-region>.amazonaws.eu.
func stsHost(host string) (endpoint, bool) {
	if host == "sts.amazonaws.com" {
		return endpoint{serviceSTS, "us-east-1"}, true
	}
	rest, ok := strings.CutPrefix(host, "sts.")
	if !ok {
		return endpoint{}, false
	}
	if region, ok := strings.CutSuffix(rest, ".amazonaws.com.cn"); ok && strings.HasPrefix(region, "cn-") && validRegion(region) {
		return endpoint{serviceSTS, region}, true
	}
	if region, ok := strings.CutSuffix(rest, ".amazonaws.com"); ok && !strings.HasPrefix(region, "cn-") && validRegion(region) {
		return endpoint{serviceSTS, region}, true
	}
	if region, ok := euscRegionHost(rest); ok {
		return endpoint{serviceSTS, region}, true
	}
	return endpoint{}, false
}

// euscRegionHost matches <eusc-region>.amazonaws.eu, the EU sovereign
// cloud's regional host names (the SDK resolves STS and IAM there).
func euscRegionHost(host string) (string, bool) {
	region, ok := strings.CutSuffix(host, ".amazonaws.eu")
	return region, ok && strings.HasPrefix(region, "eusc-") && validRegion(region)
}

// iamHost matches the global IAM endpoints of the aws, aws-cn and aws-us-gov
// partitions, and the EU sovereign cloud's iam.<eusc-region>.amazonaws.eu.
func iamHost(host string) (endpoint, bool) {
	if rest, ok := strings.CutPrefix(host, "iam."); ok {
		if region, ok := euscRegionHost(rest); ok {
			return endpoint{serviceIAM, region}, true
		}
	}
	switch host {
	case "iam.amazonaws.com":
		return endpoint{serviceIAM, "us-east-1"}, true
	case "iam.cn-north-1.amazonaws.com.cn":
		return endpoint{serviceIAM, "cn-north-1"}, true
	case "iam.us-gov.amazonaws.com":
		return endpoint{serviceIAM, "us-gov-west-1"}, true
	}
	return endpoint{}, false
}

// signinHost matches the console sign-in hosts of each partition.
func signinHost(host string) bool {
	switch host {
	case "signin.aws.amazon.com", "signin.amazonaws.cn", "signin.amazonaws-us-gov.com", "signin.amazonaws-eusc.eu":
		return true
	}
	region, ok := strings.CutSuffix(host, ".signin.aws.amazon.com")
	return ok && validRegion(region)
}

// validRegion reports whether s looks like a region name such as eu-west-1,
// us-gov-west-1 or eusc-de-east-1.
func validRegion(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts) < 3 || len(parts[0]) < 2 || len(parts[0]) > 4 {
		return false
	}
	for i, p := range parts {
		if p == "" || !allIn(p, "abcdefghijklmnopqrstuvwxyz") && i < len(parts)-1 {
			return false
		}
	}
	return allIn(parts[len(parts)-1], "0123456789")
}

// allIn reports whether every byte of s is in set.
func allIn(s, set string) bool {
	for i := 0; i < len(s); i++ {
		if !strings.ContainsRune(set, rune(s[i])) {
			return false
		}
	}
	return true
}

// stripPort removes an optional :port from a host.
func stripPort(hostport string) string {
	if host, _, err := net.SplitHostPort(hostport); err == nil {
		return host
	}
	return hostport
}
