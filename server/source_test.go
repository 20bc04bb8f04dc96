package server

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Credentials are fetched on the first Retrieve (lazily), then served from
// memory with their real expiry, not the earlier refresh point the SDK's
// cache keeps.
func TestSourceServesFromMemoryWithRealExpiry(t *testing.T) {
	expires := time.Now().Add(time.Hour).Truncate(time.Second)
	p := &countingProvider{expires: func(int) time.Time { return expires }}
	s := NewSource(p, 5*time.Minute)
	if n := p.calls.Load(); n != 0 {
		t.Fatalf("NewSource fetched %d times before any Retrieve", n)
	}
	for range 3 {
		c, err := s.Retrieve(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !c.Expires.Equal(expires) {
			t.Errorf("Expires = %s, want the real expiry %s", c.Expires, expires)
		}
	}
	if n := p.calls.Load(); n != 1 {
		t.Errorf("provider called %d times, want 1", n)
	}
}

// Credentials that live shorter than the window (a one-hour role with
// AWS_MIN_TTL=1h) are served for half their remaining life, not fetched
// again on every request.
func TestSourceShortLivedCredentialsAreNotFetchedPerRequest(t *testing.T) {
	p := &countingProvider{expires: func(int) time.Time { return time.Now().Add(10 * time.Minute) }}
	s := NewSource(p, time.Hour)
	for range 5 {
		if _, err := s.Retrieve(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if n := p.calls.Load(); n != 1 {
		t.Errorf("provider called %d times for credentials shorter than the window, want 1", n)
	}
}

// A failed fetch is an error to that request; the next one tries again.
func TestSourceRetriesAfterAFailedFetch(t *testing.T) {
	p := &countingProvider{expires: func(int) time.Time { return time.Now().Add(time.Hour) }, err: errUpstream}
	s := NewSource(p, 5*time.Minute)
	if _, err := s.Retrieve(context.Background()); !errors.Is(err, errUpstream) {
		t.Fatalf("err = %v, want the provider's", err)
	}
	p.err = nil
	c, err := s.Retrieve(context.Background())
	if err != nil || c.AccessKeyID == "" {
		t.Fatalf("second Retrieve = %v, %v", c, err)
	}
	if n := p.calls.Load(); n != 2 {
		t.Errorf("provider called %d times, want 2", n)
	}
}

// A refresh that fails while the credentials in hand have not expired
// (STS briefly unreachable, an MFA code nobody is there to give) leaves
// them served with their real expiry, and the next try comes at half
// their remaining life, not on every request. Once they have expired, a
// failed fetch is the error.
func TestSourceServesValidCredentialsWhenARefreshFails(t *testing.T) {
	const window = 5 * time.Minute
	p := &countingProvider{expires: func(int) time.Time { return time.Now().Add(window + 300*time.Millisecond) }}
	s := NewSource(p, window)
	first, err := s.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(400 * time.Millisecond) // past the refresh point
	p.err = errUpstream
	for i := range 3 {
		c, err := s.Retrieve(context.Background())
		if err != nil {
			t.Fatalf("request %d after a failed refresh: %v, want the credentials in hand (valid %s more)",
				i, err, time.Until(first.Expires).Round(time.Second))
		}
		if c.AccessKeyID != first.AccessKeyID || !c.Expires.Equal(first.Expires) {
			t.Errorf("request %d: %s expiring %s, want %s expiring %s", i, c.AccessKeyID, c.Expires, first.AccessKeyID, first.Expires)
		}
	}
	if n := p.calls.Load(); n != 2 {
		t.Errorf("provider called %d times, want 2 (the fetch, one failed refresh)", n)
	}

	// Credentials that have expired are not served after a failure.
	p2 := &countingProvider{expires: func(int) time.Time { return time.Now().Add(300 * time.Millisecond) }}
	s2 := NewSource(p2, window)
	if _, err := s2.Retrieve(context.Background()); err != nil {
		t.Fatal(err)
	}
	time.Sleep(400 * time.Millisecond)
	p2.err = errUpstream
	if c, err := s2.Retrieve(context.Background()); !errors.Is(err, errUpstream) {
		t.Fatalf("after expiry and a failed refresh: %s, %v; want the provider's error", c.AccessKeyID, err)
	}
}

// The ECS server refreshes at the refresh point (the window before
// expiry, no earlier), and 20 clients asking at that moment cause one
// fetch. The SDK's credential cache decides expiry on the wall clock
// (there is no clock to inject), so the first credentials are made to
// reach their refresh point a second after they are fetched.
func TestECSRefreshAtTheRefreshPointIsOneFetch(t *testing.T) {
	const window = 15 * time.Minute
	start := time.Now()
	refreshAt := start.Add(time.Second)
	p := &countingProvider{expires: func(n int) time.Time {
		if n == 1 {
			return refreshAt.Add(window)
		}
		return time.Now().Add(time.Hour)
	}}
	var entered atomic.Int32
	token := "tokentokentokentokentokentokentokentoken"
	h := NewECSHandler(ECSConfig{Token: token, Credentials: NewSource(p, window)})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered.Add(1)
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	client := srv.Client()
	ask := func() (int, string) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		req.Header.Set("Authorization", token)
		status, _, body := get(t, client, req)
		return status, body
	}

	if _, body := ask(); !strings.Contains(body, `"AccessKeyId":"ASIAEXAMPLECALLB"`) {
		t.Fatalf("first answer %s, want call 1's credentials", body)
	}
	if _, body := ask(); !strings.Contains(body, "ASIAEXAMPLECALLB") || p.calls.Load() != 1 {
		t.Fatalf("before the refresh point: answer %s after %d fetches, want call 1's from memory", body, p.calls.Load())
	}
	if time.Now().After(refreshAt) {
		t.Skip("SKIP: the machine took over a second for two local requests; cannot test before the refresh point")
	}

	time.Sleep(time.Until(refreshAt) + 20*time.Millisecond)
	gate := make(chan struct{})
	var release sync.Once
	defer release.Do(func() { close(gate) }) // before srv.Close, even on failure
	p.gate.Store(&gate)
	entered.Store(0)
	var wg sync.WaitGroup
	bodies := make([]string, 20)
	for i := range bodies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, body := ask()
			if status != http.StatusOK {
				t.Errorf("request %d: status %d: %s", i, status, body)
			}
			bodies[i] = body
		}()
	}
	waitFor(t, "20 requests in the handler and a refresh in flight", func() bool {
		return entered.Load() == 20 && p.calls.Load() >= 2
	})
	release.Do(func() { close(gate) })
	wg.Wait()
	if n := p.calls.Load(); n != 2 {
		t.Errorf("provider called %d times, want 2: one at start, one for the 20 requests at the refresh point", n)
	}
	for i, b := range bodies {
		if !strings.Contains(b, `"AccessKeyId":"ASIAEXAMPLECALLC"`) {
			t.Errorf("request %d got %s, want the refreshed credentials", i, b)
		}
	}
}

// waitFor polls cond for up to 10 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}
