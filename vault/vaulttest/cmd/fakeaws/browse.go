package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/awsvault/aws-vault/vault/vaulttest"
)

// browse plays the browser on an SSO sign-in URL, for a client's
// AWS_VAULT_BROWSER (through a one-line wrapper script, as that gets the
// URL as its only argument) or BROWSER: it reaches the emulator as an SDK
// would, through HTTPS_PROXY with AWS_CA_BUNDLE, does what the running
// fakeaws's -sso-consent says, and calls the client's redirect URI. It
// prints what happened on stderr, never the URL or the code.
func browse(ctx context.Context, rawURL string, stdout, stderr io.Writer) int {
	client, err := envClient()
	if err == nil {
		var v *vaulttest.Visit
		v, err = (&vaulttest.Browser{Client: client}).Open(ctx, rawURL)
		if err == nil {
			err = report(v, stderr)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "fakeaws: browse: %v\n", err)
		return 1
	}
	return 0
}

// report describes a visit; a page that failed, or a redirect URI that did
// not answer 2xx, is an error.
func report(v *vaulttest.Visit, stderr io.Writer) error {
	switch {
	case v.Redirect != "" && (v.CallbackStatus < 200 || v.CallbackStatus > 299):
		return fmt.Errorf("the redirect URI answered %d", v.CallbackStatus)
	case v.Redirect != "" && v.Error != "":
		fmt.Fprintf(stderr, "fakeaws: browse: sign-in refused (%s); the client was told\n", v.Error)
	case v.Redirect != "":
		fmt.Fprintln(stderr, "fakeaws: browse: signed in; the client received the code")
	case v.Status != http.StatusOK:
		return fmt.Errorf("the sign-in page answered %d", v.Status)
	default:
		fmt.Fprintln(stderr, "fakeaws: browse: the sign-in page answered 200")
	}
	return nil
}

// envClient is an HTTP client configured as the SDKs are from the
// environment: HTTPS_PROXY (and NO_PROXY), and AWS_CA_BUNDLE added to the
// system's roots.
func envClient() (*http.Client, error) {
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if bundle := os.Getenv("AWS_CA_BUNDLE"); bundle != "" {
		pem, err := os.ReadFile(bundle)
		if err != nil {
			return nil, fmt.Errorf("AWS_CA_BUNDLE: %w", err)
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, errors.New("AWS_CA_BUNDLE holds no certificate")
		}
	}
	return &http.Client{Transport: &http.Transport{Proxy: http.ProxyFromEnvironment,
		TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}, nil
}
