package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
)

// Each level sends exactly -n authorised requests (plus the warm-up) over
// -c connections and prints one line.
func TestLoadCountsRequestsAndConnections(t *testing.T) {
	var requests, bad atomic.Int32
	var mu sync.Mutex
	conns := map[string]bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if r.Header.Get("Authorization") != "tok" {
			bad.Add(1)
		}
		mu.Lock()
		conns[r.RemoteAddr] = true
		mu.Unlock()
		_, _ = w.Write([]byte(`{"AccessKeyId":"x"}` + "\n"))
	}))
	defer srv.Close()
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"-url", srv.URL, "-token", "tok", "-n", "100", "-c", "1,4", "-warmup", "2"}, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if n := requests.Load(); n != 100+100+2*(1+4) {
		t.Errorf("server saw %d requests, want 210", n)
	}
	if bad.Load() != 0 {
		t.Errorf("%d requests without the token", bad.Load())
	}
	if len(conns) != 1+4 {
		t.Errorf("%d connections, want 5 (kept alive)", len(conns))
	}
	line := regexp.MustCompile(`^conns=(1|4) requests=100 errors=0 rps=\d+ p50_ms=\d+\.\d{3} p99_ms=\d+\.\d{3}$`)
	lines := bytes.Split(bytes.TrimSpace(out.Bytes()), []byte("\n"))
	if len(lines) != 2 || !line.Match(lines[0]) || !line.Match(lines[1]) {
		t.Errorf("output:\n%s", out.String())
	}
}

// Answers other than 200 count as errors and fail the run.
func TestLoadReportsErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"Message":"invalid Authorization token"}`, http.StatusForbidden)
	}))
	defer srv.Close()
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"-url", srv.URL, "-token", "x", "-n", "10", "-c", "2", "-warmup", "0"}, &out, &errOut); code != 1 {
		t.Errorf("exit %d, want 1; output %s", code, out.String())
	}
	if !bytes.Contains(out.Bytes(), []byte("errors=10")) {
		t.Errorf("output %q, want errors=10", out.String())
	}
	if code := run(context.Background(), []string{"-url", srv.URL, "-c", "0"}, &out, &errOut); code != 2 {
		t.Errorf("bad flags: exit %d, want 2", code)
	}
}
