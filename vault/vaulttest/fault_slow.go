package vaulttest

import (
	"fmt"
	"net"
	"net/http"
	"time"
)

// The slow faults: an endpoint that accepts a request and never answers
// (FaultSpec.Stall) or answers one byte a second (FaultSpec.Drip). Both
// work through the HTTPS proxy and the endpoint server alike.

// dripEvery is the pace of a dripped answer.
const dripEvery = time.Second

// maxSlow ends a stall or a drip whose client never goes away, so that a
// broken test cannot hold a server open for ever. Closing the server ends
// them at once (its requests' contexts end).
const maxSlow = 2 * time.Minute

// injectSlow serves a Stall or Drip fault and reports whether it did.
func (a *AWS) injectSlow(w http.ResponseWriter, c *call, f FaultSpec) bool {
	switch {
	case f.Stall:
		a.record(c, 0, "Stalled")
		t := time.NewTimer(maxSlow)
		defer t.Stop()
		select {
		case <-c.r.Context().Done():
		case <-t.C:
		}
		// A stalled endpoint never answers: returning normally would send
		// an empty 200, which a client still listening would take for an
		// answer without credentials. Drop the connection instead.
		panic(http.ErrAbortHandler)
	case f.Drip:
		a.record(c, http.StatusOK, "Dripping")
		a.drip(w, c)
	default:
		return false
	}
	return true
}

// drip takes the connection over and writes a complete HTTP answer to it,
// status line and headers included, one byte every dripEvery, until the
// client goes away or the server closes.
func (a *AWS) drip(w http.ResponseWriter, c *call) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	defer conn.Close()
	gone := clientGone(conn)
	answer := drippedAnswer(c)
	t := time.NewTicker(dripEvery)
	defer t.Stop()
	end := time.NewTimer(maxSlow)
	defer end.Stop()
	for i := range answer {
		select {
		case <-gone:
			return
		case <-c.r.Context().Done():
			return
		case <-end.C:
			return
		case <-t.C:
		}
		if _, err := conn.Write(answer[i : i+1]); err != nil {
			return
		}
	}
}

// clientGone returns a channel closed when the client closes its side.
func clientGone(conn net.Conn) <-chan struct{} {
	gone := make(chan struct{})
	go func() {
		defer close(gone)
		buf := make([]byte, 512)
		for {
			if _, err := conn.Read(buf); err != nil {
				return
			}
		}
	}()
	return gone
}

// drippedAnswer is a well-formed answer to c: an empty result of its
// action, or a sign-in token.
func drippedAnswer(c *call) []byte {
	contentType := "text/xml"
	body := fmt.Sprintf("<%[1]sResponse><%[1]sResult></%[1]sResult></%[1]sResponse>\n", c.action)
	if c.service == serviceSignin {
		contentType, body = "application/json", `{"SigninToken":"dripped"}`+"\n"
	}
	if ssoService(c.service) {
		contentType, body = "application/json", "{}\n"
	}
	return fmt.Appendf(nil, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
		contentType, len(body), body)
}
