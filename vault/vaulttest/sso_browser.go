package vaulttest

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"
)

// Browser plays the user's browser in SSO sign-ins: it opens the URL a
// client hands to a browser (the authorize URL of the authorization code
// flow, or the device verification URL), lets the emulator's page answer
// as SSOSettings.Consent says, and follows the authorize page's redirect to
// the client's loopback redirect URI, as a browser would.
type Browser struct {
	// Client fetches the pages and the redirect URI. When nil, pages on
	// emulated AWS host names are served by AWS in-process and anything
	// else (the redirect URI, an endpoint URL) is fetched directly, without
	// a proxy.
	Client *http.Client
	// AWS serves the emulated host names when Client is nil.
	AWS *AWS
	// State, when set, replaces the state sent back to the redirect URI,
	// as a forged or stale redirect would.
	State string
	// Timeout bounds each request (10 s when 0).
	Timeout time.Duration
}

// Visit is what happened when the Browser opened a URL.
type Visit struct {
	Authorize bool       // an authorize URL (else a device verification URL)
	Params    url.Values // the URL's query, checked for an authorize URL
	Status    int        // the emulator page's HTTP status (302 when it redirected)
	Redirect  string     // where the page sent the browser ("" if it did not)
	Code      string     // code= of the redirect (a secret: keep it out of logs)
	State     string     // state= of the redirect
	Error     string     // error= of the redirect, such as access_denied
	// CallbackURL is the redirect URI as the browser called it (State
	// applied); "" when there was no redirect.
	CallbackURL    string
	CallbackStatus int    // the redirect URI's answer
	CallbackBody   string // its first 64 KiB
}

// Browser returns a browser that reaches a in-process.
func (a *AWS) Browser() *Browser {
	return &Browser{AWS: a}
}

// maxPage caps what the browser reads of a page.
const maxPage = 64 << 10

// Open opens rawURL as a browser would. For an authorize URL it first
// checks the parameters a PKCE request must carry (response_type=code,
// client_id, a loopback http redirect_uri with a port, state,
// code_challenge_method=S256, a 43-character base64url code_challenge,
// scopes) and fails naming the first one wrong. A page that answers
// without redirecting (pending, denied device code, error page) is not an
// error: Visit.Status tells.
func (b *Browser) Open(ctx context.Context, rawURL string) (*Visit, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" || u.Scheme != "https" && u.Scheme != "http" {
		return nil, errors.New("vaulttest browser: not an http(s) URL")
	}
	v := &Visit{Authorize: strings.HasSuffix(u.Path, "/authorize"), Params: u.Query()}
	if v.Authorize {
		if err := checkAuthorizeParams(v.Params); err != nil {
			return v, err
		}
	}
	resp, _, err := b.get(ctx, rawURL)
	if err != nil {
		return v, fmt.Errorf("vaulttest browser: open the page: %w", err)
	}
	v.Status = resp.StatusCode
	loc := resp.Header.Get("Location")
	if !v.Authorize || resp.StatusCode != http.StatusFound || loc == "" {
		return v, nil
	}
	return v, b.follow(ctx, v, loc)
}

// follow calls the redirect URI the authorize page sent the browser to.
func (b *Browser) follow(ctx context.Context, v *Visit, loc string) error {
	target, err := url.Parse(loc)
	want, _ := url.Parse(v.Params.Get("redirect_uri"))
	if err != nil || want == nil || target.Scheme != want.Scheme || target.Host != want.Host || target.Path != want.Path {
		return errors.New("vaulttest browser: the authorize page redirected somewhere other than redirect_uri")
	}
	v.Redirect = loc
	q := target.Query()
	v.Code, v.State, v.Error = q.Get("code"), q.Get("state"), q.Get("error")
	if b.State != "" {
		q.Set("state", b.State)
		target.RawQuery = q.Encode()
	}
	v.CallbackURL = target.String()
	resp, body, err := b.get(ctx, v.CallbackURL)
	if err != nil {
		return fmt.Errorf("vaulttest browser: call the redirect URI: %w", err)
	}
	v.CallbackStatus, v.CallbackBody = resp.StatusCode, string(body)
	return nil
}

// checkAuthorizeParams checks an authorize URL's query.
func checkAuthorizeParams(q url.Values) error {
	redirect, ok := loopbackRedirect(q.Get("redirect_uri"))
	switch {
	case q.Get("response_type") != "code":
		return errors.New("vaulttest browser: authorize URL: response_type is not code")
	case q.Get("client_id") == "":
		return errors.New("vaulttest browser: authorize URL: no client_id")
	case !ok || redirect.Port() == "":
		return errors.New("vaulttest browser: authorize URL: redirect_uri is not http://127.0.0.1:PORT/... or http://[::1]:PORT/...")
	case q.Get("state") == "":
		return errors.New("vaulttest browser: authorize URL: no state")
	case q.Get("code_challenge_method") != "S256":
		return errors.New("vaulttest browser: authorize URL: code_challenge_method is not S256")
	case !validChallenge(q.Get("code_challenge")):
		return errors.New("vaulttest browser: authorize URL: code_challenge is not 43 characters of unpadded base64url")
	case q.Get("scopes") == "":
		return errors.New("vaulttest browser: authorize URL: no scopes")
	}
	return nil
}

// get fetches rawURL without following redirects.
func (b *Browser) get(ctx context.Context, rawURL string) (*http.Response, []byte, error) {
	timeout := b.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, nil, err
	}
	client := b.Client
	if client == nil {
		client = &http.Client{Transport: inProcess{b.AWS, &http.Transport{}}}
	}
	noFollow := *client
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := noFollow.Do(req)
	if err != nil {
		return nil, nil, scrubURLError(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxPage))
	return resp, body, scrubURLError(err)
}

// scrubURLError drops the URL (which may carry a code) from err.
func scrubURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// inProcess serves emulated AWS host names with the emulator's handler and
// sends anything else over the network, without a proxy.
type inProcess struct {
	aws  *AWS
	next http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (t inProcess) RoundTrip(req *http.Request) (resp *http.Response, err error) {
	host := req.URL.Hostname()
	if t.aws == nil || !emulatedHost(host) {
		return t.next.RoundTrip(req)
	}
	in := req.Clone(req.Context())
	in.Host, in.RequestURI = req.URL.Host, req.URL.RequestURI()
	if in.Body == nil {
		in.Body = http.NoBody
	}
	if req.URL.Scheme == "https" {
		in.TLS = &tls.ConnectionState{ServerName: host}
	}
	rec := httptest.NewRecorder()
	defer func() {
		if recover() != nil { // a fault that takes the connection over
			resp, err = nil, errors.New("connection reset by the emulator")
		}
	}()
	t.aws.ServeHTTP(rec, in)
	return rec.Result(), nil
}
