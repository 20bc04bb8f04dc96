package server

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Where the servers listen.
const (
	// MetadataAddr is the EC2 instance metadata endpoint the proxy serves.
	MetadataAddr = "169.254.169.254:80"
	// MetadataIP is its address, aliased on the loopback interface.
	MetadataIP = "169.254.169.254"
	// EC2CredentialsAddr is where the EC2 metadata server listens, on
	// loopback, behind the proxy.
	EC2CredentialsAddr = "127.0.0.1:9099"
)

// shutdownGrace bounds how long Serve waits for requests in flight when it
// is stopped before it closes their connections.
const shutdownGrace = 2 * time.Second

// ListenECS listens on a random loopback port for the ECS server and
// returns the listener and the base URL for
// AWS_CONTAINER_CREDENTIALS_FULL_URI (http://127.0.0.1:<port>). The SDKs
// accept a plain-HTTP full URI only on a loopback host.
func ListenECS() (net.Listener, string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", fmt.Errorf("starting the ECS credential server: %w", err)
	}
	return ln, "http://" + ln.Addr().String(), nil
}

// ListenEC2 listens on addr (EC2CredentialsAddr) for the EC2 metadata
// server. An address already taken is the one-line error
// "Another process is already bound to <addr>".
func ListenEC2(addr string) (net.Listener, error) {
	return listenNamed(addr)
}

// listenNamed listens on addr, naming it when it is taken.
func listenNamed(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if isAddrInUse(err) {
		return nil, fmt.Errorf("Another process is already bound to %s", addr)
	}
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", addr, err)
	}
	return ln, nil
}

// Serve serves h on ln until ctx ends, then stops: requests in flight get
// a short grace period, and when Serve returns the listener is closed and
// no connection is left open. It returns nil after a stop through ctx and
// the error that stopped it otherwise.
func Serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := newHTTPServer(h)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		_ = ln.Close()
		return fmt.Errorf("serving on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	shutdown(srv)
	<-errc
	return nil
}

// newHTTPServer bounds what a slow or idle client may hold on to.
func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		// Errors of clients that hang up are of no interest to the user.
		ErrorLog: discardLogger,
	}
}

// shutdown stops srv gracefully within shutdownGrace, then closes what is
// left.
func shutdown(srv *http.Server) {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if srv.Shutdown(ctx) != nil {
		_ = srv.Close()
	}
}
