package server

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
)

const proxyTestSecret = "proxySecretproxySecretproxySecret0123456"

// recordingAlias records the alias commands instead of running them.
type recordingAlias struct {
	mu    sync.Mutex
	calls []string
	fail  string // a command word ("add", "del") that fails
}

func (a *recordingAlias) alias() *Alias {
	return &Alias{
		Present: func() (bool, error) { return false, nil },
		Run: func(_ context.Context, argv []string) error {
			a.mu.Lock()
			defer a.mu.Unlock()
			a.calls = append(a.calls, strings.Join(argv[1:], " "))
			if a.fail != "" && strings.Contains(strings.Join(argv, " "), " "+a.fail+" ") {
				return errUpstream
			}
			return nil
		},
	}
}

func (a *recordingAlias) Calls() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.calls...)
}

// runningProxy is a proxy on a random loopback port.
type runningProxy struct {
	addr string
	done chan struct{}
	err  error
	stop context.CancelFunc
}

// wait returns what RunProxy returned.
func (p *runningProxy) wait(t *testing.T) error {
	t.Helper()
	select {
	case <-p.done:
		return p.err
	case <-time.After(10 * time.Second):
		t.Fatal("the proxy did not stop")
		return nil
	}
}

func startProxy(t *testing.T, target string, alias *Alias) *runningProxy {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	p := &runningProxy{done: make(chan struct{}), stop: cancel}
	go func() {
		defer close(p.done)
		p.err = runProxy(ctx, ProxyConfig{Listen: "127.0.0.1:0", Target: target, Secret: proxyTestSecret, Alias: alias},
			func(addr string) (net.Listener, error) {
				ln, err := listenNamed(addr)
				if err == nil {
					addrc <- ln.Addr().String()
				}
				return ln, err
			})
	}()
	select {
	case p.addr = <-addrc:
	case <-p.done:
		t.Fatalf("proxy did not start: %v", p.err)
	}
	t.Cleanup(func() {
		cancel()
		p.wait(t)
	})
	return p
}

// metadataClient is the SDK's IMDS client as it runs on an instance:
// endpoint http://169.254.169.254, connections sent to addr.
func metadataClient(addr string, fallback bool) *imds.Client {
	tr := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}}
	o := imds.Options{Endpoint: "http://169.254.169.254", HTTPClient: &http.Client{Transport: tr}}
	if !fallback {
		o.EnableFallback = aws.FalseTernary // IMDSv2 or nothing
	}
	return imds.New(o)
}

// The SDK's IMDS client and EC2 role provider, IMDSv2 only, get the
// credentials and region through the proxy: the proxy keeps the Host
// header and adds no X-Forwarded-For (the token request would be refused).
func TestProxyForwardsIMDSv2ToTheMetadataServer(t *testing.T) {
	h, _ := newEC2(t, EC2Config{Region: "eu-west-1", IMDSv2Only: true})
	var puts, gets, gotToken int
	var mu sync.Mutex
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		if r.Method == http.MethodPut {
			puts++
		} else {
			gets++
			if r.Header.Get("X-Aws-Ec2-Metadata-Token") != "" {
				gotToken++
			}
		}
		mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	defer backend.Close()
	p := startProxy(t, backend.Listener.Addr().String(), nil)

	client := metadataClient(p.addr, false)
	c, err := ec2rolecreds.New(func(o *ec2rolecreds.Options) { o.Client = client }).Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if c.AccessKeyID != testAccessKey || c.SecretAccessKey != testSecretKey || c.SessionToken != testToken {
		t.Errorf("role credentials %s", c.AccessKeyID)
	}
	region, err := client.GetRegion(context.Background(), nil)
	if err != nil || region.Region != "eu-west-1" {
		t.Errorf("region %v, %v", region, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if puts < 1 || gets < 3 || gotToken != gets {
		t.Errorf("%d token requests, %d GETs of which %d with a token: want IMDSv2 throughout", puts, gets, gotToken)
	}
}

// A client's own X-Forwarded-For reaches the metadata server, which
// refuses the token request; a client from a non-local source is refused
// by the proxy itself; a metadata server that is not there is a 502.
func TestProxyPassesWhatTheClientSent(t *testing.T) {
	h, _ := newEC2(t, EC2Config{})
	backend := httptest.NewServer(h)
	defer backend.Close()
	p := startProxy(t, backend.Listener.Addr().String(), nil)
	put := func(header ...string) int {
		req, _ := http.NewRequest(http.MethodPut, "http://"+p.addr+"/latest/api/token", nil)
		req.Host = MetadataIP
		req.Header.Set("X-aws-ec2-metadata-token-ttl-seconds", "60")
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		status, _, _ := get(t, http.DefaultClient, req)
		return status
	}
	if s := put(); s != 200 {
		t.Errorf("token request through the proxy: %d", s)
	}
	if s := put("X-Forwarded-For", "203.0.113.9"); s != 403 {
		t.Errorf("token request with the client's X-Forwarded-For: %d, want 403", s)
	}
	req, _ := http.NewRequest(http.MethodGet, "http://"+p.addr+"/latest/meta-data/instance-id/", nil)
	req.Host = "evil.example"
	if s, _, body := get(t, http.DefaultClient, req); s != 401 || body != "Access denied for host 'evil.example'\n" {
		t.Errorf("Host evil.example through the proxy: %d %q", s, body)
	}

	ph := NewProxyHandler(backend.Listener.Addr().String(), proxyTestSecret, func() {}, nil)
	r := ec2Request(http.MethodGet, "/latest/meta-data/instance-id/")
	r.RemoteAddr = "192.168.1.20:5555"
	if w := serve(ph, r); w.Code != 401 || w.Body.String() != "Access denied from non-localhost address\n" {
		t.Errorf("from 192.168.1.20: %d %q", w.Code, w.Body.String())
	}

	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	gone := ln.Addr().String()
	ln.Close()
	ph = NewProxyHandler(gone, proxyTestSecret, func() {}, nil)
	if w := serve(ph, ec2Request(http.MethodGet, "/latest/meta-data/instance-id/")); w.Code != http.StatusBadGateway {
		t.Errorf("metadata server gone: %d %q", w.Code, w.Body.String())
	}
}

// The stop request needs the secret: without it, with a wrong one, or as
// aws-vault v7's GET, it is refused and the proxy keeps running. With it,
// StopProxy returns once the proxy has stopped listening and removed the
// alias.
func TestProxyStopNeedsTheSecret(t *testing.T) {
	h, _ := newEC2(t, EC2Config{})
	backend := httptest.NewServer(h)
	defer backend.Close()
	rec := &recordingAlias{}
	p := startProxy(t, backend.Listener.Addr().String(), rec.alias())
	if got := rec.Calls(); len(got) != 1 || !strings.HasPrefix(got[0], "addr add 169.254.169.254/24") && !strings.Contains(got[0], "alias") {
		t.Fatalf("alias commands at start: %q", got)
	}
	for _, c := range []struct{ method, secret string }{
		{http.MethodPost, ""}, {http.MethodPost, "wrong"}, {http.MethodPost, strings.ToLower(proxyTestSecret)},
		{http.MethodGet, proxyTestSecret}, {http.MethodGet, ""},
	} {
		req, _ := http.NewRequest(c.method, "http://"+p.addr+"/stop", nil)
		if c.secret != "" {
			req.Header.Set("X-Aws-Vault-Proxy-Secret", c.secret)
		}
		if s, _, _ := get(t, http.DefaultClient, req); s != http.StatusForbidden {
			t.Errorf("%s /stop with secret %q: %d, want 403", c.method, c.secret, s)
		}
	}
	if err := StopProxy(context.Background(), p.addr, "wrong"); err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("StopProxy with a wrong secret: %v", err)
	}
	req, _ := http.NewRequest(http.MethodGet, "http://"+p.addr+"/latest/meta-data/instance-id/", nil)
	req.Host = MetadataIP
	if s, _, body := get(t, http.DefaultClient, req); s != 200 || body != "aws-vault" {
		t.Fatalf("after refused stops the proxy does not forward: %d %q", s, body)
	}

	if err := StopProxy(context.Background(), p.addr, proxyTestSecret); err != nil {
		t.Fatalf("StopProxy: %v", err)
	}
	if c, err := net.Dial("tcp", p.addr); err == nil {
		c.Close()
		t.Errorf("%s still accepts connections when StopProxy returned", p.addr)
	}
	if err := p.wait(t); err != nil {
		t.Errorf("RunProxy after a stop request: %v", err)
	}
	if got := rec.Calls(); len(got) != 2 || !strings.Contains(got[1], "del") && !strings.Contains(got[1], "-alias") && !strings.Contains(got[1], "delete") {
		t.Errorf("alias commands: %q, want add then remove", got)
	}
}

// SIGINT or SIGTERM end the proxy's context: it stops and removes the
// alias. Failures are returned: an alias that cannot be added (nothing
// listens), an address already taken (the alias is removed again), no
// secret.
func TestProxyStopsAndFails(t *testing.T) {
	rec := &recordingAlias{}
	p := startProxy(t, "127.0.0.1:9", rec.alias())
	p.stop()
	if err := p.wait(t); err != nil {
		t.Errorf("RunProxy after its context ended: %v", err)
	}
	if got := rec.Calls(); len(got) != 2 {
		t.Errorf("alias commands: %q, want add then remove", got)
	}

	rec = &recordingAlias{fail: "add"}
	listened := false
	err := runProxy(context.Background(), ProxyConfig{Listen: "127.0.0.1:0", Secret: proxyTestSecret, Alias: rec.alias()},
		func(string) (net.Listener, error) { listened = true; return nil, errUpstream })
	if err == nil || listened || len(rec.Calls()) != 1 {
		t.Errorf("alias add failing: err %v, listened %v, commands %q", err, listened, rec.Calls())
	}

	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	rec = &recordingAlias{}
	err = runProxy(context.Background(), ProxyConfig{Listen: taken.Addr().String(), Secret: proxyTestSecret, Alias: rec.alias()}, listenNamed)
	if want := "Another process is already bound to " + taken.Addr().String(); err == nil || err.Error() != want {
		t.Errorf("address taken: %v, want %q", err, want)
	}
	if got := rec.Calls(); len(got) != 2 {
		t.Errorf("address taken: alias commands %q, want add then remove", got)
	}

	if err := RunProxy(context.Background(), ProxyConfig{Listen: "127.0.0.1:0"}); err == nil {
		t.Error("RunProxy without a secret: no error")
	}
}
