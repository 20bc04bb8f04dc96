package vaulttest

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// proxyChildEnv marks the child process of TestProxyEnvironment.
const proxyChildEnv = "VAULTTEST_PROXY_CHILD"

// TestProxyEnvironment runs SDK clients configured only by HTTPS_PROXY and
// AWS_CA_BUNDLE in a child process: http.ProxyFromEnvironment reads the
// environment once per process, and earlier tests have already used it.
func TestProxyEnvironment(t *testing.T) {
	if os.Getenv(proxyChildEnv) != "" {
		t.Skip("child process")
	}
	a := Fixture()
	p := NewTestProxy(t, a)
	dir := t.TempDir()
	for k, v := range map[string]string{
		"HTTPS_PROXY": p.URL, "AWS_CA_BUNDLE": p.CAFile, proxyChildEnv: "1",
		"AWS_ACCESS_KEY_ID": BobAccessKeyID, "AWS_SECRET_ACCESS_KEY": BobSecretAccessKey, "AWS_SESSION_TOKEN": "",
		"AWS_CONFIG_FILE": filepath.Join(dir, "config"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"),
		"AWS_PROFILE": "", "AWS_ENDPOINT_URL": "", "AWS_ENDPOINT_URL_STS": "", "AWS_ENDPOINT_URL_IAM": "",
		"NO_PROXY": "", "no_proxy": "", "https_proxy": "", "AWS_EC2_METADATA_DISABLED": "true",
	} {
		t.Setenv(k, v)
	}
	out, err := exec.Command(os.Args[0], "-test.run=^TestProxyChild$", "-test.v").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestProxyChild") {
		t.Fatalf("child: %v\n%s", err, out)
	}
	var got []string
	for _, r := range a.Requests() {
		got = append(got, fmt.Sprintf("%s %s %s %s %s", r.Host, r.Service, r.Action, r.Region, r.Code))
	}
	want := []string{
		"sts.amazonaws.com sts GetCallerIdentity us-east-1 OK",
		"sts.eu-west-1.amazonaws.com sts GetCallerIdentity eu-west-1 OK",
		"iam.amazonaws.com iam GetUser us-east-1 OK",
		"example.com:443 proxy CONNECT  ProxyRefused",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("recorded:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestProxyChild is the child half of TestProxyEnvironment.
func TestProxyChild(t *testing.T) {
	if os.Getenv(proxyChildEnv) == "" {
		t.Skip("run by TestProxyEnvironment")
	}
	for _, region := range []string{"aws-global", "eu-west-1"} {
		cfg, err := config.LoadDefaultConfig(ctx(t), config.WithRegion(region))
		noErr(t, err)
		out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{})
		noErr(t, err)
		if aws.ToString(out.Arn) != bobARN {
			t.Errorf("%s: Arn = %q", region, aws.ToString(out.Arn))
		}
	}
	cfg, err := config.LoadDefaultConfig(ctx(t), config.WithRegion("us-east-1"))
	noErr(t, err)
	_, err = iam.NewFromConfig(cfg).GetUser(ctx(t), &iam.GetUserInput{})
	noErr(t, err)
	if resp, err := http.Get("https://example.com/"); err == nil {
		resp.Body.Close()
		t.Error("proxy tunnelled a host it does not emulate")
	}
}

// proxyClient is an HTTP client using p explicitly and trusting its CA.
func proxyClient(t *testing.T, p *Proxy) *http.Client {
	t.Helper()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(p.CACertPEM()) {
		t.Fatal("bad CA PEM")
	}
	proxyURL, err := url.Parse(p.URL)
	noErr(t, err)
	return &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxyURL),
		TLSClientConfig: &tls.Config{RootCAs: pool}}}
}

func TestProxyServesSigninAndCertificates(t *testing.T) {
	a := Fixture()
	p := NewTestProxy(t, a)
	client := proxyClient(t, p)
	for _, host := range []string{"signin.aws.amazon.com", "us-gov-west-1.signin.aws.amazon.com", "signin.amazonaws.cn"} {
		resp, err := client.Get("https://" + host + "/federation?Action=getSigninToken&Session=%7B%7D")
		noErr(t, err)
		resp.Body.Close()
		if resp.StatusCode != 400 || resp.TLS.PeerCertificates[0].DNSNames[0] != host {
			t.Errorf("%s: %d", host, resp.StatusCode)
		}
	}
	if _, err := client.Get("https://s3.amazonaws.com/"); err == nil {
		t.Error("proxied s3")
	}
	req, _ := http.NewRequest("GET", "http://sts.amazonaws.com/", nil)
	if resp, err := client.Do(req); err == nil {
		resp.Body.Close()
		if resp.StatusCode != 403 {
			t.Errorf("plain HTTP through the proxy: %d", resp.StatusCode)
		}
	}
	if n := len(a.RequestsFor("CONNECT")); n != 1 {
		t.Errorf("refused CONNECTs recorded: %d", n)
	}
}
