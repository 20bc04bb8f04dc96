package vaulttest

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Proxy is an HTTPS proxy that serves the emulator for the real AWS host
// names, terminating TLS with certificates from a throwaway CA. Clients need
// only HTTPS_PROXY=URL and AWS_CA_BUNDLE=CAFile (or SSL_CERT_FILE).
type Proxy struct {
	URL    string // http://127.0.0.1:port
	CAFile string // PEM file of the CA certificate

	aws   *AWS
	ca    *authority
	front *http.Server // answers CONNECT
	inner *http.Server // serves the tunnelled TLS connections
	conns *connListener
	// stop ends the requests under way, slow faults included, on Close.
	stop context.CancelFunc
}

// StartProxy starts a proxy on a random 127.0.0.1 port and writes its CA
// certificate to dir/ca.pem. Close it when done.
func (a *AWS) StartProxy(dir string) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	return a.ServeProxy(ln, filepath.Join(dir, "ca.pem"))
}

// ServeProxy serves a proxy on ln (which should be a loopback listener) and
// writes its CA certificate to caFile. Close the proxy when done; that also
// closes ln.
func (a *AWS) ServeProxy(ln net.Listener, caFile string) (*Proxy, error) {
	ca, err := newAuthority()
	if err == nil {
		err = writeFileAtomic(caFile, ca.pem)
	}
	if err != nil {
		_ = ln.Close()
		return nil, err
	}
	quiet := log.New(io.Discard, "", 0)
	ctx, stop := context.WithCancel(context.Background())
	base := func(net.Listener) context.Context { return ctx }
	p := &Proxy{URL: "http://" + ln.Addr().String(), CAFile: caFile, aws: a, ca: ca,
		conns: newConnListener(ln.Addr()), stop: stop}
	p.front = &http.Server{Handler: http.HandlerFunc(p.serveConnect), ErrorLog: quiet, ReadHeaderTimeout: 30 * time.Second, BaseContext: base}
	p.inner = &http.Server{Handler: a, ErrorLog: quiet, ReadHeaderTimeout: 30 * time.Second, BaseContext: base}
	go func() { _ = p.front.Serve(ln) }()
	go func() { _ = p.inner.Serve(p.conns) }()
	return p, nil
}

// CACertPEM returns the CA certificate in PEM form.
func (p *Proxy) CACertPEM() []byte {
	return append([]byte(nil), p.ca.pem...)
}

// Env returns the environment a client needs: HTTPS_PROXY and AWS_CA_BUNDLE.
func (p *Proxy) Env() []string {
	return []string{"HTTPS_PROXY=" + p.URL, "AWS_CA_BUNDLE=" + p.CAFile}
}

// Close stops the proxy and drops every tunnel, ending slow faults still
// under way.
func (p *Proxy) Close() error {
	p.stop()
	err := p.front.Close()
	return errors.Join(err, p.inner.Close(), p.conns.Close())
}

// serveConnect opens a TLS tunnel for CONNECT to an emulated host:443 and
// refuses (403, recorded) anything else.
func (p *Proxy) serveConnect(w http.ResponseWriter, r *http.Request) {
	host, port, err := net.SplitHostPort(r.Host)
	if r.Method != http.MethodConnect || err != nil || port != "443" || !emulatedHost(host) {
		p.refuse(w, r)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		p.refuse(w, r)
		return
	}
	conn, brw, err := hj.Hijack()
	if err != nil {
		return
	}
	if _, err := io.WriteString(conn, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
		_ = conn.Close()
		return
	}
	tlsConn := tls.Server(&bufferedConn{Conn: conn, r: brw.Reader}, p.tlsConfig(host))
	if !p.conns.push(tlsConn) {
		_ = conn.Close()
	}
}

// refuse answers 403 and records the refused request.
func (p *Proxy) refuse(w http.ResponseWriter, r *http.Request) {
	p.aws.appendRecord(Request{Time: p.aws.now().UTC(), Host: r.Host, Service: serviceProxy,
		Action: r.Method, Code: "ProxyRefused", Status: http.StatusForbidden})
	http.Error(w, "vaulttest proxy: only CONNECT to an emulated AWS host on port 443", http.StatusForbidden)
}

// tlsConfig serves a certificate for the SNI name, or for the CONNECT host.
func (p *Proxy) tlsConfig(host string) *tls.Config {
	return &tls.Config{
		MinVersion: tls.VersionTLS12,
		NextProtos: []string{"http/1.1"},
		GetCertificate: func(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
			name := hello.ServerName
			if name == "" || !emulatedHost(name) {
				name = host
			}
			return p.ca.leaf(name)
		},
	}
}

// writeFileAtomic writes data to a temporary file beside name and renames
// it into place, so readers never see a partial file.
func writeFileAtomic(name string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), filepath.Base(name)+".tmp*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	err = errors.Join(err, f.Chmod(0o644), f.Close())
	if err == nil {
		err = os.Rename(f.Name(), name)
	}
	if err != nil {
		_ = os.Remove(f.Name())
	}
	return err
}

// bufferedConn reads through the bufio.Reader left over from the hijack.
type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

// Read implements net.Conn.
func (c *bufferedConn) Read(b []byte) (int, error) {
	return c.r.Read(b)
}

// connListener hands tunnelled connections to an http.Server.
type connListener struct {
	addr  net.Addr
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

// newConnListener returns an open connListener reporting addr.
func newConnListener(addr net.Addr) *connListener {
	return &connListener{addr: addr, conns: make(chan net.Conn), done: make(chan struct{})}
}

// push hands c to Accept; it reports false once the listener is closed.
func (l *connListener) push(c net.Conn) bool {
	select {
	case l.conns <- c:
		return true
	case <-l.done:
		return false
	}
}

// Accept implements net.Listener.
func (l *connListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

// Close implements net.Listener.
func (l *connListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

// Addr implements net.Listener.
func (l *connListener) Addr() net.Addr {
	return l.addr
}
