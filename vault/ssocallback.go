package vault

import (
	"context"
	"crypto/subtle"
	"fmt"
	"html"
	"net"
	"net/http"
	"sync"
	"time"
)

// callbackPath is the redirect URI's path, as the AWS CLI registers it.
const callbackPath = "/oauth/callback"

// callbackResult is what the browser's request to the redirect URI said.
type callbackResult struct {
	code       string // a secret: never logged
	oauthError string // error=, e.g. access_denied
	wrongState bool
}

// callback is the redirect URI's listener: 127.0.0.1 on a random port. It
// takes one request on callbackPath (with the right Host: no other site's
// page can reach it through DNS rebinding), answers the browser that the
// tab may be closed, and reports; any later request is refused. Other
// paths (a favicon) get 404 and do not count.
type callback struct {
	ln     net.Listener
	srv    *http.Server
	state  string
	result chan callbackResult
	once   sync.Once
}

// listenCallback listens on 127.0.0.1 (loopback only, never a wildcard).
func listenCallback() (*callback, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	cb := &callback{ln: ln, result: make(chan callbackResult, 1)}
	cb.srv = &http.Server{Handler: cb, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 10 * time.Second, MaxHeaderBytes: 16 << 10}
	return cb, nil
}

// addr is host:port of the listener.
func (cb *callback) addr() string { return "127.0.0.1:" + loopbackPort(cb.ln.Addr()) }

// redirectURI is the URI IAM Identity Center sends the browser back to.
func (cb *callback) redirectURI() string { return "http://" + cb.addr() + callbackPath }

func (cb *callback) serve() { _ = cb.srv.Serve(cb.ln) }

// close stops listening, letting an answer being written finish.
func (cb *callback) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if cb.srv.Shutdown(ctx) != nil {
		_ = cb.srv.Close()
	}
	_ = cb.ln.Close()
}

// ServeHTTP answers the browser.
func (cb *callback) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	if r.URL.Path != callbackPath || r.Method != http.MethodGet || r.Host != cb.addr() {
		http.NotFound(w, r)
		return
	}
	first := false
	cb.once.Do(func() {
		first = true
		res := cb.judge(r)
		page(w, res)
		cb.result <- res
	})
	if !first {
		w.WriteHeader(http.StatusGone)
		fmt.Fprint(w, pageHTML("This sign-in is over. You may close this tab."))
	}
}

// judge reads the redirect's query: the state must be ours (compared in
// constant time) before anything else counts.
func (cb *callback) judge(r *http.Request) callbackResult {
	q := r.URL.Query()
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(cb.state)) != 1 {
		return callbackResult{wrongState: true}
	}
	if e := q.Get("error"); e != "" {
		return callbackResult{oauthError: oauthErrorCode(e)}
	}
	if q.Get("code") == "" {
		return callbackResult{oauthError: "no code"}
	}
	return callbackResult{code: q.Get("code")}
}

// page tells the browser's user how the sign-in went.
func page(w http.ResponseWriter, res callbackResult) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	switch {
	case res.code != "":
		fmt.Fprint(w, pageHTML("Signed in to IAM Identity Center: aws-vault has what it needs. You may close this tab."))
	case res.wrongState:
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, pageHTML("This page does not belong to the sign-in aws-vault is waiting for, so aws-vault refused it. You may close this tab."))
	default:
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, pageHTML("The sign-in did not complete ("+res.oauthError+"). You may close this tab."))
	}
}

func pageHTML(msg string) string {
	return "<!doctype html><html><head><meta charset=\"utf-8\"><title>aws-vault</title></head><body><p>" +
		html.EscapeString(msg) + "</p></body></html>\n"
}

// oauthErrorCode keeps an OAuth error code (RFC 6749 §4.1.2.1: letters
// and underscores) and nothing an attacker could smuggle into a message.
func oauthErrorCode(e string) string {
	if len(e) > 64 {
		return "invalid error code"
	}
	for _, c := range e {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return "invalid error code"
		}
	}
	return e
}
