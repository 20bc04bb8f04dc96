package server

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Fake keys only.
const (
	testAccessKey = "ASIAEXAMPLESESSION01"
	testSecretKey = "exampleSessionSecretKey0000000000000001"
	testToken     = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN+/=<&>"
)

// countingProvider hands out numbered credentials and counts its calls.
type countingProvider struct {
	calls atomic.Int32
	// expires gives the expiry of call n (1-based).
	expires func(n int) time.Time
	// gate, once set, is waited on by every call.
	gate atomic.Pointer[chan struct{}]
	err  error
}

func (p *countingProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	n := int(p.calls.Add(1))
	if gate := p.gate.Load(); gate != nil {
		select {
		case <-*gate:
		case <-ctx.Done():
			return aws.Credentials{}, ctx.Err()
		}
	}
	if p.err != nil {
		return aws.Credentials{}, p.err
	}
	return numberedCreds(n, p.expires(n)), nil
}

// numberedCreds are the fake credentials of upstream call n.
func numberedCreds(n int, expires time.Time) aws.Credentials {
	id := "ASIAEXAMPLECALL" + string(rune('A'+n))
	return aws.Credentials{AccessKeyID: id, SecretAccessKey: testSecretKey, SessionToken: testToken + id,
		CanExpire: true, Expires: expires}
}

// staticProvider serves one set of credentials and counts calls.
type staticProvider struct {
	creds aws.Credentials
	err   error
	calls atomic.Int32
}

func (p *staticProvider) Retrieve(context.Context) (aws.Credentials, error) {
	p.calls.Add(1)
	return p.creds, p.err
}

func testCreds(expires time.Time) aws.Credentials {
	return aws.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: testSecretKey, SessionToken: testToken,
		CanExpire: true, Expires: expires}
}

// fakeClock is a settable clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// get sends a request and returns status, headers and body.
func get(t *testing.T, client *http.Client, req *http.Request) (int, http.Header, string) {
	t.Helper()
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

// noSecret fails if s carries the fake secret key or session token.
func noSecret(t *testing.T, what, s string) {
	t.Helper()
	if strings.Contains(s, testSecretKey) || strings.Contains(s, "FwoGZXIvYXdz") {
		t.Errorf("%s carries a secret: %q", what, s)
	}
}

var errUpstream = errors.New("profile bob: sts GetSessionToken: the emulator is down")
