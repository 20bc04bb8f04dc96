package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/awsvault/aws-vault/vault/vaulttest"
)

// shutdownGrace bounds how long in-flight requests may take on exit.
const shutdownGrace = 5 * time.Second

// serve runs the fixture world until ctx is cancelled.
func serve(ctx context.Context, o options, stdout, stderr io.Writer) error {
	logger := log.New(stderr, "fakeaws: ", log.LstdFlags|log.LUTC)
	a := vaulttest.Fixture(vaulttest.WithObserver(func(r vaulttest.Request) { logger.Print(formatRequest(r)) }),
		vaulttest.WithSSOSettings(o.sso.settings()))
	caFile, cleanup, err := caPath(o.caFile)
	if err != nil {
		return err
	}
	defer cleanup()
	srv, endpointURL, err := startEndpoint(a, o.port)
	if err != nil {
		return err
	}
	proxy, err := startProxy(a, o.proxyPort, caFile)
	if err != nil {
		return errors.Join(err, srv.Close())
	}
	env := envLines(endpointURL, proxy)
	if o.addrFile != "" {
		err = writeFileAtomic(o.addrFile, []byte(env)) // before stdout, so READY implies the file
	}
	if err == nil {
		_, err = io.WriteString(stdout, env)
	}
	if err == nil {
		<-ctx.Done()
	}
	return errors.Join(err, shutdown(srv, proxy))
}

// caPath returns where to write the CA certificate, making a temporary
// directory (removed by cleanup) when none was given.
func caPath(flagValue string) (string, func(), error) {
	if flagValue != "" {
		return flagValue, func() {}, nil
	}
	dir, err := os.MkdirTemp("", "fakeaws-")
	if err != nil {
		return "", nil, err
	}
	return filepath.Join(dir, "ca.pem"), func() { _ = os.RemoveAll(dir) }, nil
}

// listen listens on 127.0.0.1:port only.
func listen(port int) (net.Listener, error) {
	return net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
}

// startEndpoint serves the emulator for AWS_ENDPOINT_URL.
func startEndpoint(a *vaulttest.AWS, port int) (*http.Server, string, error) {
	ln, err := listen(port)
	if err != nil {
		return nil, "", err
	}
	srv := &http.Server{Handler: a.Handler(), ReadHeaderTimeout: 30 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return srv, "http://" + ln.Addr().String(), nil
}

// startProxy serves the HTTPS proxy for HTTPS_PROXY.
func startProxy(a *vaulttest.AWS, port int, caFile string) (*vaulttest.Proxy, error) {
	ln, err := listen(port)
	if err != nil {
		return nil, err
	}
	return a.ServeProxy(ln, caFile)
}

// shutdown stops both listeners, letting requests in flight finish.
func shutdown(srv *http.Server, proxy *vaulttest.Proxy) error {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	return errors.Join(srv.Shutdown(ctx), proxy.Close())
}

// envLines is the KEY=value listing printed on start.
func envLines(endpointURL string, proxy *vaulttest.Proxy) string {
	var b strings.Builder
	line := func(k, v string) { fmt.Fprintf(&b, "%s=%s\n", k, v) }
	line("AWS_ENDPOINT_URL", endpointURL)
	line("HTTPS_PROXY", proxy.URL)
	line("AWS_CA_BUNDLE", proxy.CAFile)
	for _, u := range vaulttest.FixtureUsers() {
		prefix := "FAKEAWS_" + strings.ToUpper(u.Name) + "_"
		line(prefix+"ACCESS_KEY_ID", u.AccessKeyID)
		line(prefix+"SECRET_ACCESS_KEY", u.SecretAccessKey)
		if u.MFASerial != "" {
			line(prefix+"MFA_SERIAL", u.MFASerial)
			line(prefix+"TOTP_SECRET", u.TOTPSecret)
		}
	}
	line("FAKEAWS_STATIC_MFA_CODE", vaulttest.FixtureStaticMFACode)
	ssoLines(line)
	line("FAKEAWS_READY", "1")
	return b.String()
}

// formatRequest is one log line for a request: no secrets, no tokens.
func formatRequest(r vaulttest.Request) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s", r.Host, r.Service, r.Action)
	if r.AccessKeyID != "" {
		fmt.Fprintf(&b, " key=%s", r.AccessKeyID)
	}
	if r.Region != "" {
		fmt.Fprintf(&b, " region=%s", r.Region)
	}
	if r.MFA {
		b.WriteString(" mfa=true")
	}
	if r.DurationSeconds != 0 {
		fmt.Fprintf(&b, " duration=%d", r.DurationSeconds)
	}
	keys := make([]string, 0, len(r.Params))
	for k := range r.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := r.Params[k]
		if k == "ExternalId" {
			v = "(set)" // a shared secret of sorts: never logged
		}
		fmt.Fprintf(&b, " %s=%s", k, v)
	}
	fmt.Fprintf(&b, " -> %d %s", r.Status, r.Code)
	return b.String()
}

// writeFileAtomic writes data beside name and renames it into place.
func writeFileAtomic(name string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), filepath.Base(name)+".tmp*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	err = errors.Join(err, f.Close())
	if err == nil {
		err = os.Rename(f.Name(), name)
	}
	if err != nil {
		_ = os.Remove(f.Name())
	}
	return err
}
