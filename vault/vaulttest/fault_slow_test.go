package vaulttest

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// slowTargets are the ways of reaching the emulator: its endpoint server
// and its HTTPS proxy. Each dial opens a connection on which an HTTP
// request to sts.amazonaws.com can be written.
var slowTargets = map[string]func(t *testing.T, a *AWS) net.Conn{
	"endpoint server": func(t *testing.T, a *AWS) net.Conn {
		u, err := url.Parse(NewTestServer(t, a))
		noErr(t, err)
		c, err := net.Dial("tcp", u.Host)
		noErr(t, err)
		return c
	},
	"proxy": func(t *testing.T, a *AWS) net.Conn { return tunnel(t, NewTestProxy(t, a), "sts.amazonaws.com") },
}

// tunnel opens a TLS connection to host through the proxy, as an HTTPS
// client does.
func tunnel(t *testing.T, p *Proxy, host string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(p.URL, "http://"))
	noErr(t, err)
	_, err = io.WriteString(c, "CONNECT "+host+":443 HTTP/1.1\r\nHost: "+host+":443\r\n\r\n")
	noErr(t, err)
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	noErr(t, err)
	if resp.StatusCode != 200 || br.Buffered() != 0 {
		t.Fatalf("CONNECT: %d", resp.StatusCode)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(p.CACertPEM())
	tc := tls.Client(c, &tls.Config{ServerName: host, RootCAs: pool})
	noErr(t, tc.Handshake())
	return tc
}

const callerIdentityRequest = "POST / HTTP/1.1\r\nHost: sts.amazonaws.com\r\n" +
	"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 43\r\n\r\n" +
	"Action=GetCallerIdentity&Version=2011-06-15"

// TestStall: the request is read and recorded, and no byte ever comes back.
func TestStall(t *testing.T) {
	for name, dial := range slowTargets {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			a := Fixture()
			a.Fault("GetCallerIdentity", FaultSpec{Stall: true})
			c := dial(t, a)
			defer c.Close()
			_, err := io.WriteString(c, callerIdentityRequest)
			noErr(t, err)
			noErr(t, c.SetReadDeadline(time.Now().Add(1500*time.Millisecond)))
			n, err := c.Read(make([]byte, 1))
			var ne net.Error
			if n != 0 || !errors.As(err, &ne) || !ne.Timeout() {
				t.Fatalf("read %d bytes, %v; want a timeout with nothing read", n, err)
			}
			if r := a.Requests(); len(r) != 1 || r[0].Action != "GetCallerIdentity" || r[0].Code != "Stalled" {
				t.Errorf("recorded %+v", r)
			}
		})
	}
}

// TestDrip: the answer, status line first, comes one byte a second.
func TestDrip(t *testing.T) {
	for name, dial := range slowTargets {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			a := Fixture()
			a.Fault("GetCallerIdentity", FaultSpec{Drip: true})
			c := dial(t, a)
			defer c.Close()
			_, err := io.WriteString(c, callerIdentityRequest)
			noErr(t, err)
			noErr(t, c.SetReadDeadline(time.Now().Add(2500*time.Millisecond)))
			got, err := io.ReadAll(c)
			var ne net.Error
			if !errors.As(err, &ne) || !ne.Timeout() {
				t.Fatalf("read %q, %v; want a timeout", got, err)
			}
			if len(got) < 1 || len(got) > 3 || !strings.HasPrefix("HTTP/1.1 200", string(got)) {
				t.Errorf("after 2.5s: %q; want 1 to 3 bytes of the status line", got)
			}
			if r := a.Requests(); len(r) != 1 || r[0].Code != "Dripping" {
				t.Errorf("recorded %+v", r)
			}
		})
	}
}

// TestDripCompletes: a dripped answer is a well-formed HTTP response.
func TestDripCompletes(t *testing.T) {
	c := &call{action: "GetCallerIdentity", service: serviceSTS}
	resp, err := http.ReadResponse(bufio.NewReader(strings.NewReader(string(drippedAnswer(c)))), nil)
	noErr(t, err)
	body, err := io.ReadAll(resp.Body)
	noErr(t, err)
	if resp.StatusCode != 200 || !strings.Contains(string(body), "<GetCallerIdentityResult>") {
		t.Errorf("%d %q", resp.StatusCode, body)
	}
}

// TestSlowFaultsEndOnClose: closing the endpoint server or the proxy ends
// a stall or a drip whose client is still waiting, at once: Close does not
// wait for the slow answer, and the client's connection is closed.
func TestSlowFaultsEndOnClose(t *testing.T) {
	servers := map[string]func(t *testing.T, a *AWS) (net.Conn, func()){
		"endpoint server": func(t *testing.T, a *AWS) (net.Conn, func()) {
			base, stop := a.StartServer()
			u, err := url.Parse(base)
			noErr(t, err)
			c, err := net.Dial("tcp", u.Host)
			noErr(t, err)
			return c, stop
		},
		"proxy": func(t *testing.T, a *AWS) (net.Conn, func()) {
			p, err := a.StartProxy(t.TempDir())
			noErr(t, err)
			return tunnel(t, p, "sts.amazonaws.com"), func() { _ = p.Close() }
		},
	}
	for name, start := range servers {
		for fault, spec := range map[string]FaultSpec{"stall": {Stall: true}, "drip": {Drip: true}} {
			t.Run(name+"/"+fault, func(t *testing.T) {
				t.Parallel()
				a := Fixture()
				a.Fault("GetCallerIdentity", spec)
				c, stop := start(t, a)
				defer c.Close()
				_, err := io.WriteString(c, callerIdentityRequest)
				noErr(t, err)
				// The fault is under way once the request is recorded.
				for deadline := time.Now().Add(5 * time.Second); len(a.Requests()) == 0; time.Sleep(5 * time.Millisecond) {
					if time.Now().After(deadline) {
						t.Fatal("the request was never recorded")
					}
				}
				closed := make(chan struct{})
				go func() { stop(); close(closed) }()
				select {
				case <-closed:
				case <-time.After(5 * time.Second):
					t.Fatal("Close still waiting for the slow answer after 5s")
				}
				noErr(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
				_, err = io.Copy(io.Discard, c)
				var ne net.Error
				if errors.As(err, &ne) && ne.Timeout() {
					t.Errorf("the client's connection is still open after Close")
				}
			})
		}
	}
}
