package server

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// The proxy's stop request: POST /stop carrying the stop secret, which
// aws-vault hands the proxy on its stdin (see ReadProxyStdin), in this
// header. aws-vault v7's GET /stop, which any local process could send,
// is refused.
const (
	proxyStopPath     = "/stop"
	proxySecretHeader = "X-Aws-Vault-Proxy-Secret"
)

// ProxyConfig is how the EC2 metadata proxy runs.
type ProxyConfig struct {
	// Listen is where the proxy listens: MetadataAddr.
	Listen string
	// Target is the EC2 metadata server it forwards to:
	// EC2CredentialsAddr.
	Target string
	// Secret authenticates the stop request; it must not be empty.
	Secret string
	// Alias, if set, is added before listening and removed when the
	// proxy stops. Nil leaves the interfaces alone (tests on loopback).
	Alias *Alias
	// Logf, if set, receives a line for each request the proxy could
	// not forward.
	Logf func(format string, args ...any)
}

// RunProxy runs the EC2 metadata proxy: it adds the loopback alias,
// listens on c.Listen and forwards every request from an allowed source
// (loopback or 169.254.169.254 itself; others get 401) to c.Target,
// unchanged: Host and any X-Forwarded-For the client sent go through, and
// none is added, so that the metadata server behind it sees the request
// as the client sent it. It stops on an authenticated stop request or
// when ctx ends (SIGINT, SIGTERM, stdin closed): it stops listening, gives
// requests in flight a moment, and removes the alias before it returns.
func RunProxy(ctx context.Context, c ProxyConfig) error {
	return runProxy(ctx, c, listenNamed)
}

// runProxy is RunProxy with the listen step given (tests listen on a
// random loopback port).
func runProxy(ctx context.Context, c ProxyConfig, listen func(addr string) (net.Listener, error)) error {
	if c.Secret == "" {
		return errors.New("the EC2 metadata proxy needs a stop secret")
	}
	if c.Alias != nil {
		if err := c.Alias.Add(ctx); err != nil {
			return err
		}
	}
	ln, err := listen(c.Listen)
	if err != nil {
		return errors.Join(err, removeAlias(c.Alias))
	}
	p := &proxy{ln: ln, done: make(chan struct{})}
	srv := newHTTPServer(NewProxyHandler(c.Target, c.Secret, p.stop, c.Logf))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	var serveErr error
	select {
	case <-ctx.Done():
	case <-p.done:
	case err := <-errc:
		// A stop request closes the listener before it signals done.
		if !p.stopping.Load() {
			serveErr = err
		}
	}
	p.halt()
	shutdown(srv)
	// Last: the answer to the stop request travels over the alias.
	return errors.Join(serveErr, removeAlias(c.Alias))
}

// proxy is a running proxy's stop state.
type proxy struct {
	ln       net.Listener
	once     sync.Once
	stopping atomic.Bool
	done     chan struct{}
	doneOnce sync.Once
}

// halt stops listening, once.
func (p *proxy) halt() {
	p.once.Do(func() {
		p.stopping.Store(true)
		_ = p.ln.Close()
	})
}

// stop is the stop request: stop listening, then let RunProxy finish.
func (p *proxy) stop() {
	p.halt()
	p.doneOnce.Do(func() { close(p.done) })
}

// removeAlias removes a, bounded, even when the proxy's context has ended.
func removeAlias(a *Alias) error {
	if a == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), aliasTimeout)
	defer cancel()
	return a.Remove(ctx)
}

// NewProxyHandler returns the proxy's handler: POST /stop with the secret
// calls stop and answers 200 "stopped", a stop request without the secret
// gets 403, a client from a source other than loopback or 169.254.169.254
// gets 401, and everything else is forwarded to target (host:port) as it
// came.
func NewProxyHandler(target, secret string, stop func(), logf func(string, ...any)) http.Handler {
	rp := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(&url.URL{Scheme: "http", Host: target})
			// The metadata server checks Host against DNS rebinding,
			// and refuses token requests that carry X-Forwarded-For.
			pr.Out.Host = pr.In.Host
			if v, ok := pr.In.Header["X-Forwarded-For"]; ok {
				pr.Out.Header["X-Forwarded-For"] = v
			}
		},
		Transport: proxyTransport(),
		ErrorLog:  discardLogger,
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			if logf != nil {
				logf("ec2 proxy: %s %s: %v", r.Method, r.URL.Path, err)
			}
			http.Error(w, "the aws-vault EC2 metadata server on "+target+" is not answering", http.StatusBadGateway)
		},
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !checkClient(w, r) {
			return
		}
		if r.URL.Path != proxyStopPath {
			rp.ServeHTTP(w, r)
			return
		}
		if r.Method != http.MethodPost || secret == "" || !tokenEqual(r.Header.Get(proxySecretHeader), secret) {
			http.Error(w, "Forbidden: the stop request needs the proxy's secret", http.StatusForbidden)
			return
		}
		stop()
		_, _ = w.Write([]byte("stopped\n"))
	})
}

// proxyTransport reaches the metadata server directly, never through
// HTTP_PROXY, bounded in time.
func proxyTransport() *http.Transport {
	return &http.Transport{
		Proxy:                 nil,
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       90 * time.Second,
		ResponseHeaderTimeout: 2 * time.Minute,
	}
}
