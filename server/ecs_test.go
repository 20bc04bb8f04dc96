package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

const ecsTestToken = "0123456789abcdefghijABCDEFGHIJ-_01234567"

// The token is 30 bytes of the reader as 40 characters of unpadded
// base64url.
func TestNewToken(t *testing.T) {
	tok, err := NewToken(bytes.NewReader(bytes.Repeat([]byte{0xff}, 30)))
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Repeat("_", 40); tok != want {
		t.Errorf("NewToken = %q, want %q", tok, want)
	}
	tok, err = NewToken(nil)
	if err != nil || len(tok) != 40 || strings.ContainsAny(tok, "+/=") {
		t.Errorf("NewToken(crypto/rand) = %q, %v: want 40 base64url characters", tok, err)
	}
	if _, err := NewToken(bytes.NewReader(make([]byte, 29))); err == nil {
		t.Error("NewToken with 29 random bytes: no error")
	}
}

func ecsRequest(method, path, token string) *http.Request {
	r := httptest.NewRequest(method, "http://127.0.0.1:4242"+path, nil)
	if token != "" {
		r.Header.Set("Authorization", token)
	}
	return r
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// The credentials are JSON as aws-vault v7 writes it: the four keys in
// alphabetical order, the expiry in UTC to the second with a Z, a
// newline, text/plain (what net/http sniffs for v7's unset type).
func TestECSServesCredentialsByteExact(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	expires := time.Date(2026, 12, 2, 9, 5, 23, 987654321, paris)
	p := &staticProvider{creds: testCreds(expires)}
	h := NewECSHandler(ECSConfig{Token: ecsTestToken, Credentials: p})
	want := `{"AccessKeyId":"ASIAEXAMPLESESSION01","Expiration":"2026-12-02T08:05:23Z",` +
		`"SecretAccessKey":"exampleSessionSecretKey0000000000000001",` +
		`"Token":"FwoGZXIvYXdzEXAMPLESESSIONTOKEN+/=\u003c\u0026\u003e"}` + "\n"
	for _, r := range []*http.Request{
		ecsRequest(http.MethodGet, "/", ecsTestToken),
		ecsRequest(http.MethodGet, "/anything/else?x=1", ecsTestToken),
		ecsRequest(http.MethodPost, "/", ecsTestToken),
		ecsRequest(http.MethodGet, "/role-arn", ecsTestToken),
	} {
		w := serve(h, r)
		if w.Code != http.StatusOK || w.Body.String() != want {
			t.Errorf("%s %s: %d %q, want 200 %q", r.Method, r.URL.Path, w.Code, w.Body.String(), want)
		}
		if ct := w.Header().Get("Content-Type"); ct != "text/plain; charset=utf-8" {
			t.Errorf("%s %s: Content-Type %q", r.Method, r.URL.Path, ct)
		}
	}
}

// Anything but the exact token is 403 with aws-vault v7's JSON, and no
// credential is fetched.
func TestECSRefusesWrongTokens(t *testing.T) {
	cases := []struct {
		name, configured string
		header           []string
	}{
		{"missing", ecsTestToken, nil},
		{"empty", ecsTestToken, []string{""}},
		{"wrong", ecsTestToken, []string{strings.Repeat("x", 40)}},
		{"differently cased", ecsTestToken, []string{strings.ToUpper(ecsTestToken)}},
		{"with a scheme", ecsTestToken, []string{"Bearer " + ecsTestToken}},
		{"with trailing space", ecsTestToken, []string{ecsTestToken + " "}},
		{"prefix", ecsTestToken, []string{ecsTestToken[:39]}},
		{"longer", ecsTestToken, []string{ecsTestToken + "x"}},
		{"second of two headers", ecsTestToken, []string{"nope", ecsTestToken}},
		{"no token configured, none sent", "", nil},
		{"no token configured, empty sent", "", []string{""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := &staticProvider{creds: testCreds(time.Now().Add(time.Hour))}
			h := NewECSHandler(ECSConfig{Token: c.configured, Credentials: p, Roles: RoleAssumerFunc(
				func(context.Context, string) (aws.Credentials, error) { return p.Retrieve(context.Background()) })})
			for _, path := range []string{"/", "/role-arn/arn:aws:iam::222222222222:role/ReadOnly"} {
				r := ecsRequest(http.MethodGet, path, "")
				if c.header != nil {
					r.Header["Authorization"] = c.header
				}
				w := serve(h, r)
				if w.Code != http.StatusForbidden || w.Body.String() != `{"Message":"invalid Authorization token"}`+"\n" {
					t.Errorf("%s: %d %q", path, w.Code, w.Body.String())
				}
				if ct := w.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
					t.Errorf("%s: Content-Type %q", path, ct)
				}
			}
			if n := p.calls.Load(); n != 0 {
				t.Errorf("credentials fetched %d times for refused requests", n)
			}
		})
	}
}

// A failure to get credentials is 500 {"Message":…} with the error.
func TestECSErrorIsJSON500(t *testing.T) {
	h := NewECSHandler(ECSConfig{Token: ecsTestToken, Credentials: &staticProvider{err: errUpstream}})
	w := serve(h, ecsRequest(http.MethodGet, "/", ecsTestToken))
	want := `{"Message":"profile bob: sts GetSessionToken: the emulator is down"}` + "\n"
	if w.Code != http.StatusInternalServerError || w.Body.String() != want {
		t.Errorf("%d %q, want 500 %q", w.Code, w.Body.String(), want)
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
}

// recordingAssumer hands out per-ARN credentials and records each call.
type recordingAssumer struct {
	mu    sync.Mutex
	calls []string
	err   error
}

func (a *recordingAssumer) AssumeRole(_ context.Context, roleARN string) (aws.Credentials, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.calls = append(a.calls, roleARN)
	if a.err != nil {
		return aws.Credentials{}, a.err
	}
	c := testCreds(time.Now().Add(time.Hour))
	c.AccessKeyID = "ASIAROLE" + roleARN[len(roleARN)-4:]
	return c, nil
}

func (a *recordingAssumer) Calls() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.calls...)
}

// /role-arn/<ARN> assumes that role once and serves it from memory after;
// each ARN has its own credentials.
func TestECSRoleARNIsAssumedOnceAndKept(t *testing.T) {
	const readOnly = "arn:aws:iam::222222222222:role/ReadOnly"
	const admin = "arn:aws:iam::222222222222:role/team/Admin"
	base := &staticProvider{creds: testCreds(time.Now().Add(time.Hour))}
	roles := &recordingAssumer{}
	h := NewECSHandler(ECSConfig{Token: ecsTestToken, Credentials: base, Roles: roles, ExpiryWindow: 5 * time.Minute})
	for _, arn := range []string{readOnly, readOnly, admin, readOnly, admin} {
		w := serve(h, ecsRequest(http.MethodGet, "/role-arn/"+arn, ecsTestToken))
		var got ecsCredentials
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", arn, w.Code, w.Body.String())
		}
		if want := "ASIAROLE" + arn[len(arn)-4:]; got.AccessKeyID != want {
			t.Errorf("%s: AccessKeyId %s, want %s", arn, got.AccessKeyID, want)
		}
	}
	if got := roles.Calls(); len(got) != 2 || got[0] != readOnly || got[1] != admin {
		t.Errorf("AssumeRole calls %q, want one per ARN", got)
	}
	if n := base.calls.Load(); n != 0 {
		t.Errorf("the profile's credentials were fetched %d times for role requests", n)
	}
}

// Paths that are not role ARNs are refused before any AWS call; a failed
// AssumeRole is 500 and is tried again on the next request.
func TestECSRoleARNErrors(t *testing.T) {
	roles := &recordingAssumer{err: errors.New("operation error STS: AssumeRole: AccessDenied")}
	h := NewECSHandler(ECSConfig{Token: ecsTestToken, Credentials: &staticProvider{}, Roles: roles})
	for _, bad := range []string{"", "bogus", "arn:aws:iam::222222222222:user/bob", "arn:aws:s3:::bucket/role/x"} {
		w := serve(h, ecsRequest(http.MethodGet, "/role-arn/"+bad, ecsTestToken))
		if w.Code != http.StatusInternalServerError || !strings.Contains(w.Body.String(), "is not a role ARN") {
			t.Errorf("%q: %d %s", bad, w.Code, w.Body.String())
		}
	}
	if n := len(roles.Calls()); n != 0 {
		t.Errorf("AssumeRole called %d times for paths that are not role ARNs", n)
	}
	const arn = "arn:aws:iam::222222222222:role/Missing"
	for range 2 {
		w := serve(h, ecsRequest(http.MethodGet, "/role-arn/"+arn, ecsTestToken))
		want := `{"Message":"failed to refresh cached credentials, operation error STS: AssumeRole: AccessDenied"}` + "\n"
		if w.Code != http.StatusInternalServerError || w.Body.String() != want {
			t.Errorf("%d %q, want 500 %q", w.Code, w.Body.String(), want)
		}
	}
	if n := len(roles.Calls()); n != 2 {
		t.Errorf("AssumeRole called %d times for two failing requests, want 2", n)
	}
	// Failing ARNs are not kept: a client trying many does not grow memory.
	eh := h.(*ecsHandler)
	eh.mu.Lock()
	if n := len(eh.byARN); n != 0 {
		t.Errorf("%d failing roles kept in memory", n)
	}
	eh.mu.Unlock()
	h = NewECSHandler(ECSConfig{Token: ecsTestToken, Credentials: &staticProvider{}})
	if w := serve(h, ecsRequest(http.MethodGet, "/role-arn/"+arn, ecsTestToken)); w.Code != http.StatusInternalServerError {
		t.Errorf("without a RoleAssumer: %d %s", w.Code, w.Body.String())
	}
}

// What the servers log (aws-vault's --debug output) never carries a
// secret: not the credentials, not the token a client sent.
func TestServersLogNoSecrets(t *testing.T) {
	var lines []string
	logf := func(format string, args ...any) { lines = append(lines, fmt.Sprintf(format, args...)) }
	good := &staticProvider{creds: testCreds(time.Now().Add(time.Hour))}
	h := NewECSHandler(ECSConfig{Token: ecsTestToken, Credentials: good, Roles: &recordingAssumer{err: errUpstream}, Logf: logf})
	serve(h, ecsRequest(http.MethodGet, "/", ecsTestToken))
	serve(h, ecsRequest(http.MethodGet, "/", strings.ToUpper(ecsTestToken)))
	serve(h, ecsRequest(http.MethodGet, "/role-arn/arn:aws:iam::222222222222:role/x", ecsTestToken))
	serve(NewECSHandler(ECSConfig{Token: ecsTestToken, Credentials: &staticProvider{err: errUpstream}, Logf: logf}),
		ecsRequest(http.MethodGet, "/", ecsTestToken))
	e, _ := newEC2(t, EC2Config{Credentials: &staticProvider{err: errUpstream}, Logf: logf})
	serve(e, ec2Request(http.MethodGet, "/latest/meta-data/iam/security-credentials/local-credentials"))
	if len(lines) < 3 {
		t.Fatalf("logged %q, want a line per failed request", lines)
	}
	for _, l := range lines {
		noSecret(t, "log line", l)
		if strings.Contains(l, ecsTestToken[:20]) {
			t.Errorf("log line carries the token: %q", l)
		}
	}
}

// Credentials that do not expire (a credential_process that prints no
// Expiration) are served with an expiry an hour ahead, renewed on every
// answer: the SDKs require the field, and botocore (the AWS CLI, boto3)
// refuses credentials whose Expiration is past, as year 1 would be.
func TestECSServesNonExpiringCredentialsWithARollingExpiry(t *testing.T) {
	creds := aws.Credentials{AccessKeyID: "AKIAEXAMPLESTATIC001", SecretAccessKey: testSecretKey}
	h := NewECSHandler(ECSConfig{Token: ecsTestToken, Credentials: &staticProvider{creds: creds}})
	for range 2 {
		before := time.Now()
		w := serve(h, ecsRequest(http.MethodGet, "/", ecsTestToken))
		var got struct{ Expiration string }
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != 200 {
			t.Fatalf("%d %q: %v", w.Code, w.Body.String(), err)
		}
		exp, err := time.Parse(time.RFC3339, got.Expiration)
		if err != nil || exp.Before(before.Add(time.Hour).Truncate(time.Second)) || exp.After(time.Now().Add(time.Hour)) {
			t.Errorf("Expiration %q, want an hour from now (%v)", got.Expiration, err)
		}
	}
}

// Role paths may hold any printable ASCII character but the slash that
// separates them (IAM's path pattern is \u0021 to \u007F); only the role
// name is restricted to letters, digits and +=,.@_-. Such roles are
// assumed, as aws-vault v7.2.0 assumes them; names outside that set, a
// space or a control character anywhere, and an empty segment are not.
func TestECSRoleARNPaths(t *testing.T) {
	roles := &recordingAssumer{}
	h := NewECSHandler(ECSConfig{Token: ecsTestToken, Credentials: &staticProvider{}, Roles: roles})
	for _, good := range []string{
		"arn:aws:iam::222222222222:role/ReadOnly",
		"arn:aws:iam::222222222222:role/service-role/Deploy",
		"arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123",
		"arn:aws:iam::222222222222:role/team:ops~1/(prod)!/Deploy",
		"arn:aws-us-gov:iam::222222222222:role/Deploy",
	} {
		r := ecsRequest(http.MethodGet, "/role-arn/x", ecsTestToken)
		r.URL.Path = "/role-arn/" + good
		if w := serve(h, r); w.Code != http.StatusOK {
			t.Errorf("%s: %d %s", good, w.Code, w.Body.String())
		}
	}
	for _, bad := range []string{
		"arn:aws:iam::222222222222:role/team/Dep~loy",
		"arn:aws:iam::222222222222:role/te am/Deploy",
		"arn:aws:iam::222222222222:role/team\x01/Deploy",
		"arn:aws:iam::222222222222:role/team//Deploy",
		"arn:aws:iam::222222222222:role//Deploy",
		"arn:aws:iam::222222222222:role/Deploy/",
	} {
		r := ecsRequest(http.MethodGet, "/role-arn/x", ecsTestToken)
		r.URL.Path = "/role-arn/" + bad
		if w := serve(h, r); w.Code != http.StatusInternalServerError || !strings.Contains(w.Body.String(), "is not a role ARN") {
			t.Errorf("%q: %d %s", bad, w.Code, w.Body.String())
		}
	}
}
