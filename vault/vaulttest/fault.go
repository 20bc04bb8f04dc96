package vaulttest

import (
	"net"
	"net/http"
	"time"
)

// FaultSpec is a failure to inject into calls of one action.
type FaultSpec struct {
	// Latency delays the answer (or the other fault) by this much.
	Latency time.Duration
	// Status answers with this HTTP status (500, 503, 400...) and Code.
	Status int
	// Code is the error code sent with Status: "Throttling",
	// "ServiceUnavailable"... The default follows Status.
	Code string
	// Message is the error message (a default is made up).
	Message string
	// ResetConnection closes the connection without an answer.
	ResetConnection bool
	// MalformedBody answers 200 with a body no client can parse.
	MalformedBody bool
	// Stall accepts the request and never answers; Drip answers one byte
	// a second (see fault_slow.go).
	Stall, Drip bool
	// Times is how many of the next calls fail; 0 means every call.
	Times int
	// After lets this many calls through first, untouched (the fault
	// strikes the After+1-th call on).
	After int
	// AnswerFault answers with credentials or a message a client must
	// refuse (fault_answers.go).
	AnswerFault
}

// faultState is an armed fault, its remaining count (-1: forever) and
// the calls still to let through first.
type faultState struct {
	spec FaultSpec
	left int
	pass int
}

// Fault arms spec for action (e.g. "AssumeRole", "CreateAccessKey",
// "getSigninToken"), replacing any fault armed for it. Faults strike before
// authentication, whoever calls.
func (a *AWS) Fault(action string, spec FaultSpec) {
	left := spec.Times
	if left <= 0 {
		left = -1
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.faults[action] = &faultState{spec: spec, left: left, pass: spec.After}
}

// ClearFaults disarms every fault.
func (a *AWS) ClearFaults() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.faults = map[string]*faultState{}
}

// takeFault returns the fault armed for action, counting it down.
func (a *AWS) takeFault(action string) (FaultSpec, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	f := a.faults[action]
	if f == nil {
		return FaultSpec{}, false
	}
	if f.pass > 0 {
		f.pass--
		return FaultSpec{}, false
	}
	if f.left > 0 {
		f.left--
		if f.left == 0 {
			delete(a.faults, action)
		}
	}
	return f.spec, true
}

// injectFault applies the fault armed for the call's action, if any, and
// reports whether it answered the request.
func (a *AWS) injectFault(w http.ResponseWriter, c *call) bool {
	f, ok := a.takeFault(c.action)
	if !ok {
		return false
	}
	if !sleep(c.r, f.Latency) {
		a.record(c, 0, "ClientClosed")
		return true
	}
	if a.injectAnswerFault(w, c, f) {
		return true
	}
	if a.injectSlow(w, c, f) {
		return true
	}
	switch {
	case f.ResetConnection:
		a.resetConnection(w, c)
	case f.MalformedBody:
		body := "<" + c.action + "Response><" + c.action + "Result><Credentials><AccessKeyId>"
		if c.service == serviceSignin {
			body = `{"SigninToken": `
		}
		if ssoService(c.service) {
			body = `{"accessToken": `
		}
		a.send(w, c, http.StatusOK, "MalformedBody", "text/xml", []byte(body))
	case f.Status != 0 || f.Code != "":
		a.writeError(w, c, faultError(f))
	default:
		return false
	}
	return true
}

// faultError is the error answer a fault asks for.
func faultError(f FaultSpec) *apiError {
	e := &apiError{Status: f.Status, Code: f.Code, Message: f.Message}
	if e.Status == 0 {
		e.Status = http.StatusBadRequest
	}
	if e.Code == "" {
		e.Code = map[int]string{400: "Throttling", 500: "InternalFailure", 503: "ServiceUnavailable"}[e.Status]
	}
	if e.Code == "" {
		e.Code = "InternalFailure"
	}
	if e.Message == "" {
		e.Message = map[string]string{"Throttling": "Rate exceeded"}[e.Code]
	}
	if e.Message == "" {
		e.Message = "injected fault"
	}
	return e
}

// sleep waits d unless the client goes away first; it reports whether the
// wait finished.
func sleep(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// resetConnection drops the connection without answering.
func (a *AWS) resetConnection(w http.ResponseWriter, c *call) {
	a.record(c, 0, "ConnectionReset")
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0) // send RST rather than FIN
	}
	_ = conn.Close()
}
