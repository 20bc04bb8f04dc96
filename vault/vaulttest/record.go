package vaulttest

import (
	"maps"
	"time"
)

// Request is the record of one request the emulator answered (or a CONNECT
// the proxy refused).
type Request struct {
	Time            time.Time // emulator clock
	Host            string    // Host header (or CONNECT target) it arrived on
	Service         string    // "sts", "iam", "signin", "sso-oidc", "sso", "sso-device" or "proxy"
	Action          string    // e.g. "AssumeRole", "getSigninToken", "CreateToken", "CONNECT"
	AccessKeyID     string    // key that signed it ("" if unsigned); session id for sign-in
	Region          string    // SigV4 signing region ("" if unsigned)
	MFA             bool      // SerialNumber or TokenCode was sent
	DurationSeconds int       // 0 if not sent
	// Params holds notable parameters: RoleArn, RoleSessionName, ExternalId,
	// Name, UserName, AccessKeyId, Status, SerialNumber, SourceIdentity,
	// SessionDuration; for SSO calls ClientName, ClientType, Scopes,
	// GrantTypes, RedirectUris, IssuerUrl, ClientId, StartUrl, GrantType,
	// RedirectUri, Scope, AccountId, RoleName, ResponseType,
	// CodeChallengeMethod, and User (the IAM Identity Center user the call
	// acted for). Never secrets.
	Params map[string]string
	Code   string // "OK" or the error code (fault codes included)
	Status int    // HTTP status; 0 when the connection was reset
}

// record appends the call's record and tells the observer.
func (a *AWS) record(c *call, status int, code string) {
	rec := c.rec
	rec.Status, rec.Code = status, code
	a.appendRecord(rec)
}

// appendRecord stores rec and tells the observer.
func (a *AWS) appendRecord(rec Request) {
	a.mu.Lock()
	a.requests = append(a.requests, rec)
	a.mu.Unlock()
	if a.observer != nil {
		rec.Params = maps.Clone(rec.Params)
		a.observer(rec)
	}
}

// Requests returns a copy of the recorded requests, oldest first.
func (a *AWS) Requests() []Request {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]Request, len(a.requests))
	for i, r := range a.requests {
		r.Params = maps.Clone(r.Params)
		out[i] = r
	}
	return out
}

// RequestsFor returns the recorded requests for action, oldest first.
func (a *AWS) RequestsFor(action string) []Request {
	var out []Request
	for _, r := range a.Requests() {
		if r.Action == action {
			out = append(out, r)
		}
	}
	return out
}

// Count returns how many requests for action were recorded.
func (a *AWS) Count(action string) int {
	return len(a.RequestsFor(action))
}

// CountOK returns how many requests for action succeeded.
func (a *AWS) CountOK(action string) int {
	n := 0
	for _, r := range a.RequestsFor(action) {
		if r.Code == "OK" {
			n++
		}
	}
	return n
}

// Reset forgets the recorded requests and clears every injected fault. The
// world (users, keys, roles, issued credentials) is kept.
func (a *AWS) Reset() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.requests = nil
	a.faults = map[string]*faultState{}
}
