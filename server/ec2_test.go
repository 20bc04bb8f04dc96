package server

import (
	"bytes"

	"github.com/aws/aws-sdk-go-v2/aws"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

var ec2Epoch = time.Date(2026, 12, 2, 7, 0, 0, 0, time.UTC)

func newEC2(t *testing.T, c EC2Config) (http.Handler, *fakeClock) {
	t.Helper()
	clock := &fakeClock{t: ec2Epoch}
	if c.Credentials == nil {
		c.Credentials = &staticProvider{creds: testCreds(ec2Epoch.Add(45 * time.Minute))}
	}
	c.Now = clock.Now
	h, err := NewEC2Handler(c)
	if err != nil {
		t.Fatal(err)
	}
	return h, clock
}

// ec2Request is a request as the proxy forwards a local client's: from
// loopback, to Host 169.254.169.254.
func ec2Request(method, path string, header ...string) *http.Request {
	r := httptest.NewRequest(method, "http://169.254.169.254"+path, nil)
	r.RemoteAddr = "127.0.0.1:40000"
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Add(header[i], header[i+1])
	}
	return r
}

// The metadata paths and bodies are aws-vault v7's, byte for byte.
func TestEC2PathsByteExact(t *testing.T) {
	h, _ := newEC2(t, EC2Config{Region: "eu-west-1"})
	creds := `{"AccessKeyId":"ASIAEXAMPLESESSION01","Code":"Success","Expiration":"2026-12-02T07:45:00Z",` +
		`"LastUpdated":"2026-12-02T07:00:00Z","SecretAccessKey":"exampleSessionSecretKey0000000000000001",` +
		`"Token":"FwoGZXIvYXdzEXAMPLESESSIONTOKEN+/=\u003c\u0026\u003e","Type":"AWS-HMAC"}` + "\n"
	cases := []struct {
		path     string
		status   int
		body     string
		location string
	}{
		{"/latest/meta-data/iam/security-credentials/", 200, "local-credentials", ""},
		{"/latest/meta-data/iam/security-credentials/local-credentials", 200, creds, ""},
		{"/latest/meta-data/iam/security-credentials", 301, "", "/latest/meta-data/iam/security-credentials/"},
		{"/latest/meta-data/instance-id/", 200, "aws-vault", ""},
		{"/latest/meta-data/instance-id", 301, "", "/latest/meta-data/instance-id/"},
		{"/latest/meta-data/iam/info/", 200, `{"Code" : "Success"}`, ""},
		{"/latest/dynamic/instance-identity/document", 200, `{"region": "eu-west-1"}`, ""},
		{"/latest/meta-data/ami-id", 404, "404 page not found\n", ""},
	}
	for _, c := range cases {
		w := serve(h, ec2Request(http.MethodGet, c.path))
		if w.Code != c.status || (c.location == "" && w.Body.String() != c.body) {
			t.Errorf("GET %s: %d %q, want %d %q", c.path, w.Code, w.Body.String(), c.status, c.body)
		}
		if loc := w.Header().Get("Location"); loc != c.location {
			t.Errorf("GET %s: Location %q, want %q", c.path, loc, c.location)
		}
		if c.status == 200 && w.Header().Get("Content-Type") != "text/plain; charset=utf-8" {
			t.Errorf("GET %s: Content-Type %q", c.path, w.Header().Get("Content-Type"))
		}
	}
}

// A failure to get credentials is 504 with the error, as aws-vault v7.
func TestEC2CredentialErrorIs504(t *testing.T) {
	h, _ := newEC2(t, EC2Config{Credentials: &staticProvider{err: errUpstream}})
	w := serve(h, ec2Request(http.MethodGet, "/latest/meta-data/iam/security-credentials/local-credentials"))
	if w.Code != http.StatusGatewayTimeout || w.Body.String() != errUpstream.Error()+"\n" {
		t.Errorf("%d %q", w.Code, w.Body.String())
	}
}

// Only loopback sources and 169.254.169.254 itself are served; any other
// address is a host that routed to 169.254.169.254 through this one.
func TestEC2ClientGuard(t *testing.T) {
	h, _ := newEC2(t, EC2Config{})
	for _, c := range []struct {
		remote string
		status int
	}{
		{"127.0.0.1:1234", 200}, {"127.9.8.7:1234", 200}, {"[::1]:1234", 200},
		{"169.254.169.254:1234", 200}, {"[::ffff:127.0.0.1]:1234", 200},
		{"10.0.0.5:1234", 401}, {"192.168.1.20:1234", 401}, {"169.254.169.253:1234", 401},
		{"[fe80::1]:1234", 401}, {"[2001:db8::1]:1234", 401}, {"0.0.0.0:1234", 401},
		{"not-an-address", 400},
	} {
		r := ec2Request(http.MethodGet, "/latest/meta-data/instance-id/")
		r.RemoteAddr = c.remote
		w := serve(h, r)
		if w.Code != c.status {
			t.Errorf("from %s: %d %q, want %d", c.remote, w.Code, w.Body.String(), c.status)
		}
		if c.status == 401 && w.Body.String() != "Access denied from non-localhost address\n" {
			t.Errorf("from %s: body %q", c.remote, w.Body.String())
		}
	}
}

// Requests not addressed to 169.254.169.254 (a DNS-rebinding page sends
// its own name) get 401 naming the host.
func TestEC2HostGuard(t *testing.T) {
	h, _ := newEC2(t, EC2Config{})
	for host, status := range map[string]int{
		"169.254.169.254": 200, "169.254.169.254:80": 200,
		"evil.example": 401, "127.0.0.1:9099": 401, "169.254.169.254:8080": 401, "localhost": 401, "": 401,
		"169.254.169.254.nip.io": 401,
	} {
		r := ec2Request(http.MethodGet, "/latest/meta-data/instance-id/")
		r.Host = host
		w := serve(h, r)
		if w.Code != status {
			t.Errorf("Host %q: %d, want %d", host, w.Code, status)
		}
		if want := "Access denied for host '" + host + "'\n"; status == 401 && w.Body.String() != want {
			t.Errorf("Host %q: body %q, want %q", host, w.Body.String(), want)
		}
	}
}

// PUT /latest/api/token answers as EC2: a token and the TTL echoed for a
// TTL of 1 to 21600 seconds, 400 otherwise, 403 for a request that came
// through a forwarding proxy, 405 for other methods.
func TestIMDSv2TokenRequest(t *testing.T) {
	h, _ := newEC2(t, EC2Config{})
	for _, ttl := range []string{"1", "300", "21600"} {
		w := serve(h, ec2Request(http.MethodPut, "/latest/api/token", "X-aws-ec2-metadata-token-ttl-seconds", ttl))
		if w.Code != 200 || w.Header().Get("X-Aws-Ec2-Metadata-Token-Ttl-Seconds") != ttl || len(w.Body.String()) < 40 {
			t.Errorf("ttl %s: %d %q, TTL header %q", ttl, w.Code, w.Body.String(), w.Header().Get("X-Aws-Ec2-Metadata-Token-Ttl-Seconds"))
		}
	}
	for _, ttl := range []string{"", "0", "21601", "-1", "+5", " 5", "5 ", "1.5", "abc", "99999999999999999999"} {
		w := serve(h, ec2Request(http.MethodPut, "/latest/api/token", "X-aws-ec2-metadata-token-ttl-seconds", ttl))
		if w.Code != http.StatusBadRequest {
			t.Errorf("ttl %q: %d, want 400", ttl, w.Code)
		}
	}
	if w := serve(h, ec2Request(http.MethodPut, "/latest/api/token")); w.Code != http.StatusBadRequest {
		t.Errorf("without a TTL: %d, want 400", w.Code)
	}
	for _, xff := range []string{"10.1.2.3", ""} {
		w := serve(h, ec2Request(http.MethodPut, "/latest/api/token",
			"X-aws-ec2-metadata-token-ttl-seconds", "60", "X-Forwarded-For", xff))
		if w.Code != http.StatusForbidden || strings.Contains(w.Body.String(), "X-Aws") {
			t.Errorf("X-Forwarded-For %q: %d %q, want 403", xff, w.Code, w.Body.String())
		}
	}
	w := serve(h, ec2Request(http.MethodGet, "/latest/api/token", "X-aws-ec2-metadata-token-ttl-seconds", "60"))
	if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != "PUT" {
		t.Errorf("GET the token: %d, Allow %q", w.Code, w.Header().Get("Allow"))
	}
}

func issueToken(t *testing.T, h http.Handler, ttl string) string {
	t.Helper()
	w := serve(h, ec2Request(http.MethodPut, "/latest/api/token", "X-aws-ec2-metadata-token-ttl-seconds", ttl))
	if w.Code != 200 {
		t.Fatalf("token: %d %s", w.Code, w.Body.String())
	}
	return w.Body.String()
}

// A request that carries a session token must carry a valid one that has
// not expired; the clock decides.
func TestIMDSv2SessionTokens(t *testing.T) {
	h, clock := newEC2(t, EC2Config{})
	other, _ := newEC2(t, EC2Config{})
	tok := issueToken(t, h, "60")
	const path = "/latest/meta-data/iam/security-credentials/local-credentials"
	status := func(header ...string) int { return serve(h, ec2Request(http.MethodGet, path, header...)).Code }

	if s := status("X-aws-ec2-metadata-token", tok); s != 200 {
		t.Errorf("fresh token: %d", s)
	}
	clock.Advance(59 * time.Second)
	if s := status("x-aws-ec2-metadata-token", tok); s != 200 {
		t.Errorf("token at 59s of 60: %d", s)
	}
	clock.Advance(time.Second)
	if s := status("X-aws-ec2-metadata-token", tok); s != 401 {
		t.Errorf("expired token: %d, want 401", s)
	}
	bad := []string{"", "garbage", issueToken(t, other, "60"), tok[:len(tok)-1] + "A",
		strings.ToUpper(issueToken(t, h, "60"))}
	for _, b := range bad {
		if s := status("X-aws-ec2-metadata-token", b); s != 401 {
			t.Errorf("token %q: %d, want 401", b, s)
		}
	}
	fresh := issueToken(t, h, "60")
	if s := status("X-aws-ec2-metadata-token", fresh, "X-aws-ec2-metadata-token", fresh); s != 401 {
		t.Errorf("two token headers: %d, want 401", s)
	}
	if s := status(); s != 200 {
		t.Errorf("IMDSv1 request: %d, want 200", s)
	}
}

// In IMDSv2-only mode a request without a session token gets 401; the
// token request itself and requests with a token are served.
func TestIMDSv2Only(t *testing.T) {
	h, _ := newEC2(t, EC2Config{IMDSv2Only: true})
	const path = "/latest/meta-data/iam/security-credentials/"
	if w := serve(h, ec2Request(http.MethodGet, path)); w.Code != 401 || !strings.Contains(w.Body.String(), "IMDSv2") {
		t.Errorf("IMDSv1 request: %d %q, want 401", w.Code, w.Body.String())
	}
	tok := issueToken(t, h, "21600")
	if w := serve(h, ec2Request(http.MethodGet, path, "X-aws-ec2-metadata-token", tok)); w.Code != 200 || w.Body.String() != "local-credentials" {
		t.Errorf("with a token: %d %q", w.Code, w.Body.String())
	}
}

// The token key comes from the injected reader; a failing reader is an
// error, not a server with a predictable key.
func TestEC2HandlerNeedsRandomness(t *testing.T) {
	if _, err := NewEC2Handler(EC2Config{Rand: bytes.NewReader(make([]byte, 8))}); err == nil {
		t.Error("NewEC2Handler with 8 random bytes: no error")
	}
}

// Credentials that do not expire are served with an expiry an hour ahead
// of now, as the ECS server serves them: SDKs refuse a past one.
func TestEC2ServesNonExpiringCredentialsWithARollingExpiry(t *testing.T) {
	creds := aws.Credentials{AccessKeyID: "AKIAEXAMPLESTATIC001", SecretAccessKey: testSecretKey}
	h, clock := newEC2(t, EC2Config{Credentials: &staticProvider{creds: creds}})
	for range 2 {
		clock.Advance(10 * time.Minute)
		w := serve(h, ec2Request(http.MethodGet, "/latest/meta-data/iam/security-credentials/local-credentials"))
		want := `"Expiration":"` + clock.Now().Add(time.Hour).UTC().Format("2006-01-02T15:04:05Z") + `"`
		if w.Code != 200 || !strings.Contains(w.Body.String(), want) {
			t.Errorf("%d %q, want %s", w.Code, w.Body.String(), want)
		}
	}
}
