package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"
)

// result is one level's figures.
type result struct {
	conns, requests, errors int
	elapsed                 time.Duration
	p50, p99                time.Duration
}

func (r result) String() string {
	rps := float64(r.requests) / r.elapsed.Seconds()
	return fmt.Sprintf("conns=%d requests=%d errors=%d rps=%.0f p50_ms=%.3f p99_ms=%.3f",
		r.conns, r.requests, r.errors, rps, ms(r.p50), ms(r.p99))
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// measure sends o.requests GETs over conns connections, each worker with
// a client of its own that keeps one connection alive.
func measure(ctx context.Context, o options, conns int) (result, error) {
	workers := make([]*worker, conns)
	for i := range workers {
		w, err := newWorker(ctx, o)
		if err != nil {
			return result{}, err
		}
		defer w.close()
		workers[i] = w
		for range o.warmup {
			w.get()
		}
		w.lat, w.errors = w.lat[:0], 0
	}
	var wg sync.WaitGroup
	start := time.Now()
	for i, w := range workers {
		n := o.requests / conns
		if i < o.requests%conns {
			n++
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range n {
				w.get()
			}
		}()
	}
	wg.Wait()
	r := result{conns: conns, requests: o.requests, elapsed: time.Since(start)}
	var all []time.Duration
	for _, w := range workers {
		all = append(all, w.lat...)
		r.errors += w.errors
	}
	slices.Sort(all)
	r.p50, r.p99 = percentile(all, 50), percentile(all, 99)
	return r, nil
}

func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, len(sorted)*p/100)]
}

// worker is one kept-alive connection.
type worker struct {
	client *http.Client
	req    *http.Request
	lat    []time.Duration
	errors int
	buf    []byte
}

func newWorker(ctx context.Context, o options) (*worker, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, o.url, nil)
	if err != nil {
		return nil, fmt.Errorf("-url: %w", err)
	}
	req.Header.Set("Authorization", o.token)
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConnsPerHost: 1,
		MaxConnsPerHost:     1,
		DisableCompression:  true,
	}
	return &worker{client: &http.Client{Transport: tr, Timeout: 10 * time.Second}, req: req,
		lat: make([]time.Duration, 0, o.requests), buf: make([]byte, 4096)}, nil
}

func (w *worker) get() {
	t := time.Now()
	resp, err := w.client.Do(w.req)
	if err != nil {
		w.errors++
		return
	}
	for {
		if _, err := resp.Body.Read(w.buf); err == io.EOF {
			break
		} else if err != nil {
			w.errors++
			break
		}
	}
	resp.Body.Close()
	w.lat = append(w.lat, time.Since(t))
	if resp.StatusCode != http.StatusOK {
		w.errors++
	}
}

func (w *worker) close() { w.client.CloseIdleConnections() }
