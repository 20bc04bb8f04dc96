package vaulttest

import (
	"context"
	"net"
	"net/http/httptest"
	"testing"
)

// StartServer serves the emulator on a random 127.0.0.1 port, for
// AWS_ENDPOINT_URL and friends. It returns the base URL and a function that
// stops the server, ending slow faults still under way.
func (a *AWS) StartServer() (url string, stop func()) {
	srv := httptest.NewUnstartedServer(a)
	ctx, cancel := context.WithCancel(context.Background())
	srv.Config.BaseContext = func(net.Listener) context.Context { return ctx }
	srv.Start()
	return srv.URL, func() { cancel(); srv.Close() }
}

// NewTestServer starts the endpoint server for the duration of t and
// returns its URL.
func NewTestServer(t testing.TB, a *AWS) string {
	t.Helper()
	url, stop := a.StartServer()
	t.Cleanup(stop)
	return url
}

// NewTestProxy starts the HTTPS proxy for the duration of t, with its CA
// certificate in t.TempDir().
func NewTestProxy(t testing.TB, a *AWS) *Proxy {
	t.Helper()
	p, err := a.StartProxy(t.TempDir())
	if err != nil {
		t.Fatalf("vaulttest: start proxy: %v", err)
	}
	t.Cleanup(func() { _ = p.Close() })
	return p
}
