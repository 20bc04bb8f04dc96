package vault

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// get fetches rawURL with Host set to host, returning status and body.
func get(t *testing.T, rawURL, host string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// The redirect listener binds 127.0.0.1 only, ignores other paths and
// other Host headers (a DNS-rebinding page), takes exactly one request on
// its path, and is gone once closed.
func TestCallbackOneRequestLoopbackOnly(t *testing.T) {
	cb, err := listenCallback()
	if err != nil {
		t.Fatal(err)
	}
	cb.state = "the-state"
	go cb.serve()
	addr := cb.ln.Addr().(*net.TCPAddr)
	if !addr.IP.Equal(net.IPv4(127, 0, 0, 1)) {
		t.Fatalf("listening on %s, want 127.0.0.1", addr)
	}
	base := "http://" + cb.addr()
	if status, _ := get(t, base+"/favicon.ico", ""); status != http.StatusNotFound {
		t.Errorf("another path: %d", status)
	}
	if status, _ := get(t, base+callbackPath+"?code=c&state=the-state", "evil.example:80"); status != http.StatusNotFound {
		t.Errorf("another Host: %d", status)
	}
	status, body := get(t, base+callbackPath+"?code=the-code&state=the-state", "")
	if status != http.StatusOK || !strings.Contains(body, "You may close this tab.") {
		t.Errorf("the redirect: %d %q", status, body)
	}
	if r := <-cb.result; r.code != "the-code" || r.wrongState || r.oauthError != "" {
		t.Errorf("result %+v", r)
	}
	if status, _ := get(t, base+callbackPath+"?code=again&state=the-state", ""); status != http.StatusGone {
		t.Errorf("a second redirect: %d, want 410", status)
	}
	cb.close()
	if c, err := net.DialTimeout("tcp", cb.addr(), time.Second); err == nil {
		c.Close()
		t.Error("still listening after close")
	}
}

// A redirect with another state, or an error, is judged before any code
// counts; error codes are kept only as OAuth spells them.
func TestCallbackJudge(t *testing.T) {
	cb := &callback{state: "s1"}
	for _, tc := range []struct {
		query string
		want  callbackResult
	}{
		{"code=c&state=s2", callbackResult{wrongState: true}},
		{"code=c", callbackResult{wrongState: true}},
		{"error=access_denied&state=s2", callbackResult{wrongState: true}},
		{"error=access_denied&state=s1", callbackResult{oauthError: "access_denied"}},
		{"error=%0Aevil%20text&state=s1", callbackResult{oauthError: "invalid error code"}},
		{"state=s1", callbackResult{oauthError: "no code"}},
		{"code=c&state=s1", callbackResult{code: "c"}},
	} {
		r, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1/oauth/callback?"+tc.query, nil)
		if got := cb.judge(r); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.query, got, tc.want)
		}
	}
}
