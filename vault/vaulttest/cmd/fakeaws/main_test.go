package main

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/awsvault/aws-vault/vault/vaulttest"
)

// build compiles the command into a temporary directory.
func build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "fakeaws")
	args := []string{"build", "-o", bin}
	if raceEnabled {
		args = append(args, "-race")
	}
	if out, err := exec.Command("go", append(args, ".")...).CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// readEnv reads KEY=value lines up to FAKEAWS_READY.
func readEnv(t *testing.T, sc *bufio.Scanner) (map[string]string, string) {
	t.Helper()
	env, raw := map[string]string{}, ""
	for sc.Scan() {
		raw += sc.Text() + "\n"
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok {
			t.Fatalf("not KEY=value: %q", sc.Text())
		}
		env[k] = v
		if k == "FAKEAWS_READY" {
			return env, raw
		}
	}
	t.Fatalf("stdout ended early: %v\n%s", sc.Err(), raw)
	return nil, ""
}

func TestCommand(t *testing.T) {
	bin := build(t)
	dir := t.TempDir()
	addrFile := filepath.Join(dir, "env")
	cmd := exec.Command(bin, "-addr-file", addrFile, "-ca-file", filepath.Join(dir, "ca.pem"))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	noErr(t, err)
	noErr(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	env, raw := readEnv(t, bufio.NewScanner(stdout))

	if written, err := os.ReadFile(addrFile); err != nil || string(written) != raw {
		t.Errorf("addr file = %q, %v", written, err)
	}
	if env["FAKEAWS_ALICE_TOTP_SECRET"] != vaulttest.AliceTOTPSecret || env["AWS_CA_BUNDLE"] != filepath.Join(dir, "ca.pem") {
		t.Errorf("env = %v", env)
	}
	callerIdentity(t, env, nil)
	callerIdentity(t, env, proxyClient(t, env))

	noErr(t, cmd.Process.Signal(syscall.SIGINT))
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit: %v\nstderr:\n%s", err, stderr.String())
	}
	log := stderr.String()
	if strings.Count(log, "GetCallerIdentity key="+vaulttest.BobAccessKeyID) != 2 || strings.Contains(log, vaulttest.BobSecretAccessKey) {
		t.Errorf("request log:\n%s", log)
	}
	if !strings.Contains(log, "sts.amazonaws.com sts GetCallerIdentity") {
		t.Errorf("proxied call not logged with its host:\n%s", log)
	}
}

// callerIdentity calls GetCallerIdentity as bob with the printed settings:
// through the endpoint URL, or through client (the proxy) when set.
func callerIdentity(t *testing.T, env map[string]string, client *http.Client) {
	t.Helper()
	cfg := aws.Config{Region: "aws-global", RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider(env["FAKEAWS_BOB_ACCESS_KEY_ID"], env["FAKEAWS_BOB_SECRET_ACCESS_KEY"], "")}
	if client != nil {
		cfg.HTTPClient = client
	} else {
		cfg.BaseEndpoint = aws.String(env["AWS_ENDPOINT_URL"])
	}
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
	noErr(t, err)
	if got := aws.ToString(out.Arn); got != "arn:aws:iam::111111111111:user/bob" {
		t.Errorf("Arn = %q", got)
	}
}

// proxyClient uses the printed HTTPS_PROXY and trusts AWS_CA_BUNDLE.
func proxyClient(t *testing.T, env map[string]string) *http.Client {
	t.Helper()
	pem, err := os.ReadFile(env["AWS_CA_BUNDLE"])
	noErr(t, err)
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("CA bundle holds no certificate")
	}
	proxyURL, err := url.Parse(env["HTTPS_PROXY"])
	noErr(t, err)
	return &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxyURL),
		TLSClientConfig: &tls.Config{RootCAs: pool}}}
}

func TestTOTPFlag(t *testing.T) {
	bin := build(t)
	for _, args := range [][]string{
		{"-totp", vaulttest.FrankMFASerial},
		{"-totp-secret", vaulttest.FrankTOTPSecret},
	} {
		before := vaulttest.TOTP(vaulttest.FrankTOTPSecret, time.Now())
		out, err := exec.Command(bin, args...).Output()
		noErr(t, err)
		after := vaulttest.TOTP(vaulttest.FrankTOTPSecret, time.Now())
		if got := strings.TrimSpace(string(out)); got != before && got != after {
			t.Errorf("%v printed %q, want %s", args, got, before)
		}
	}
	if err := exec.Command(bin, "-totp", "arn:aws:iam::111111111111:mfa/nobody").Run(); err == nil {
		t.Error("unknown serial accepted")
	}
}

func TestParseFlags(t *testing.T) {
	var sink strings.Builder
	if _, err := parseFlags([]string{"-world", "mars"}, &sink); err == nil {
		t.Error("unknown world accepted")
	}
	if _, err := parseFlags([]string{"extra"}, &sink); err == nil {
		t.Error("stray argument accepted")
	}
	o, err := parseFlags([]string{"-port", "4566"}, &sink)
	noErr(t, err)
	if o.world != "fixture" || o.port != 4566 {
		t.Errorf("options = %+v", o)
	}
}

// noErr fails the test on err.
func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
