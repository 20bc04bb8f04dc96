package vault

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"
)

// consolePartition is where the console of one AWS partition lives.
type consolePartition struct {
	signinHost    string // host of the federation endpoint
	consoleDomain string // the console's domain, after "<region>."
	logoutHost    string // host of the console's logout endpoint
}

// partitionFor returns the console hosts for region.
// Regions of the aws partition use the global sign-in host, as aws-vault
// v7 does (byte-exact with its URLs); with no region at all the regional
// us-east-1 host is used, as the maintained fork does. Logout goes through
// the partition's own sign-in host: a console session of aws-cn, aws-us-gov
// or the EU sovereign cloud is not ended by the aws partition's host.
func partitionFor(region string) consolePartition {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return consolePartition{"signin.amazonaws.cn", "console.amazonaws.cn", "signin.amazonaws.cn"}
	case strings.HasPrefix(region, "us-gov-"):
		return consolePartition{"signin.amazonaws-us-gov.com", "console.amazonaws-us-gov.com", "signin.amazonaws-us-gov.com"}
	case strings.HasPrefix(region, "eusc-"):
		return consolePartition{"signin.amazonaws-eusc.eu", "console.amazonaws-eusc.eu", "signin.amazonaws-eusc.eu"}
	case region == "":
		return consolePartition{"us-east-1.signin.aws.amazon.com", "console.aws.amazon.com", "us-east-1.signin.aws.amazon.com"}
	}
	return consolePartition{"signin.aws.amazon.com", "console.aws.amazon.com", "us-east-1.signin.aws.amazon.com"}
}

// regionName is what a region may look like: one DNS label, so that it can
// never change the host of a console URL. It is compiled when first
// needed, not in package initialisation (which every call pays).
var regionName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`) })

// ConsoleTarget is where a console login goes: the federation endpoint of
// the region's partition and the console page to land on.
type ConsoleTarget struct {
	// Prefix is the federation endpoint, e.g.
	// https://signin.aws.amazon.com/federation.
	Prefix string
	// Destination is the console page opened after sign-in.
	Destination string
	// LogoutPrefix is the console's logout endpoint (--auto-logout).
	LogoutPrefix string
}

// NewConsoleTarget returns the target for region ("" when none is
// configured) and the console path (--path, used only with a region).
func NewConsoleTarget(region, path string) (ConsoleTarget, error) {
	if region != "" && !regionName().MatchString(region) {
		return ConsoleTarget{}, fmt.Errorf("region %q is not an AWS region name", region)
	}
	p := partitionFor(region)
	t := ConsoleTarget{
		Prefix:       "https://" + p.signinHost + "/federation",
		Destination:  "https://console.aws.amazon.com/",
		LogoutPrefix: "https://" + p.logoutHost + "/oauth",
	}
	if region == "" {
		return t, nil
	}
	page := strings.TrimLeft(path, "/")
	if page == "" {
		page = "console/home"
	}
	sep := "?"
	if strings.Contains(page, "?") {
		sep = "&"
	}
	t.Destination = "https://" + region + "." + p.consoleDomain + "/" + page + sep + "region=" + region
	return t, nil
}

// LoginURL is the URL that signs in with token and opens the destination.
func (t ConsoleTarget) LoginURL(token string) string {
	return t.Prefix + "?Action=login&Issuer=aws-vault&Destination=" + url.QueryEscape(t.Destination) +
		"&SigninToken=" + url.QueryEscape(token)
}

// LogoutLoginURL is the URL that first ends any console session, then
// signs in with token (--auto-logout). The inner URL is built unescaped
// and escaped once as a whole, as the maintained fork does.
func (t ConsoleTarget) LogoutLoginURL(token string) string {
	inner := t.Prefix + "?Action=login&Issuer=aws-vault&Destination=" + t.Destination + "&SigninToken=" + token
	return t.LogoutPrefix + "?Action=logout&redirect_uri=" + url.QueryEscape(inner)
}
