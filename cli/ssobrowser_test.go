package cli_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/awsvault/aws-vault/vault/vaulttest"
)

// ssoBrowser is the "sso-browser URL" program of the scripts, an
// AWS_VAULT_BROWSER: it plays the user's browser on an SSO sign-in page
// through HTTPS_PROXY with AWS_CA_BUNDLE (as an SDK reaches AWS), doing
// what the emulator's consent setting says, and follows the authorize
// page's redirect to aws-vault's loopback listener. It appends one line
// per run to $SSO_BROWSER_LOG ("run ARGS=n KIND", then "callback STATUS
// close-tab=BOOL" when it called the redirect URI), and the authorization
// code and the PKCE challenge it saw to $SSO_BROWSER_CODES (outside
// $HOME: the scripts look for the code, and the verifier, where they must
// not be). $SSO_BROWSER_DELAY waits before the visit,
// $SSO_BROWSER_STATE replaces the state sent back (a forged redirect) and
// $SSO_BROWSER_ACTION=none opens nothing (a user who never signs in).
func ssoBrowser() int {
	kind := "other"
	if len(os.Args) == 2 {
		switch {
		case strings.Contains(os.Args[1], "/authorize?"):
			kind = "authorize"
		case strings.Contains(os.Args[1], "user_code="):
			kind = "device"
		}
	}
	appendLine(os.Getenv("SSO_BROWSER_LOG"), fmt.Sprintf("run ARGS=%d %s", len(os.Args)-1, kind))
	if len(os.Args) != 2 || os.Getenv("SSO_BROWSER_ACTION") == "none" {
		return 0
	}
	if d, err := time.ParseDuration(os.Getenv("SSO_BROWSER_DELAY")); err == nil {
		time.Sleep(d)
	}
	client, err := proxyClient()
	if err != nil {
		fmt.Fprintln(os.Stderr, "sso-browser:", err)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	v, err := (&vaulttest.Browser{Client: client, State: os.Getenv("SSO_BROWSER_STATE")}).Open(ctx, os.Args[1])
	if v != nil && v.Code != "" {
		appendLine(os.Getenv("SSO_BROWSER_CODES"), v.Code)
	}
	if v != nil && v.Params.Get("code_challenge") != "" {
		appendLine(os.Getenv("SSO_BROWSER_CODES"), "challenge "+v.Params.Get("code_challenge"))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "sso-browser:", err)
		return 1
	}
	if v.Redirect != "" {
		appendLine(os.Getenv("SSO_BROWSER_LOG"), fmt.Sprintf("callback %d close-tab=%t", v.CallbackStatus,
			strings.Contains(v.CallbackBody, "You may close this tab")))
	}
	return 0
}

// appendLine appends line to file, when file is named.
func appendLine(file, line string) {
	if file == "" {
		return
	}
	f, err := os.OpenFile(file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return
	}
	defer f.Close()
	fmt.Fprintln(f, line)
}

// proxyClient reaches the emulator as the SDKs do: HTTPS_PROXY, and
// AWS_CA_BUNDLE added to the system's roots.
func proxyClient() (*http.Client, error) {
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	pem, err := os.ReadFile(os.Getenv("AWS_CA_BUNDLE"))
	if err != nil || !pool.AppendCertsFromPEM(pem) {
		return nil, errors.New("AWS_CA_BUNDLE holds no certificate")
	}
	return &http.Client{Transport: &http.Transport{Proxy: http.ProxyFromEnvironment,
		TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}, nil
}
