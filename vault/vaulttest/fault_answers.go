package vaulttest

import (
	"net/http"
	"strings"
	"time"
)

// AnswerFault is a fault that answers well-formed but unusable: an answer
// a client must refuse rather than serve. It is part of [FaultSpec], and
// strikes before authentication like the other faults.
type AnswerFault struct {
	// ExpiredBy answers success with credentials that expired this long ago
	// on the emulator's clock (as a broken proxy or a cache in between
	// might). They are made up for the answer and never valid.
	ExpiredBy time.Duration
	// HugeMessage answers the error of Status and Code with a message of
	// this many bytes.
	HugeMessage int
}

// expiredAnswer is the Result element of an answer carrying credentials;
// clients ignore the elements it leaves out.
type expiredAnswer struct {
	Credentials xmlCredentials
}

// injectAnswerFault applies f's AnswerFault, if any, and reports whether it
// answered the request.
func (a *AWS) injectAnswerFault(w http.ResponseWriter, c *call, f FaultSpec) bool {
	switch {
	case f.ExpiredBy > 0 && ssoService(c.service):
		a.writeSSOExpired(w, c, f.ExpiredBy)
	case f.ExpiredBy > 0:
		exp := a.now().Add(-f.ExpiredBy).UTC().Truncate(time.Second)
		creds := xmlCredentials{a.newAccessKeyID("ASIA"), a.newSecret(), a.newSessionToken(), isoTime(exp)}
		a.writeResult(w, c, expiredAnswer{creds})
	case f.HugeMessage > 0:
		e := faultError(f)
		e.Message = hugeMessage(f.HugeMessage)
		a.writeError(w, c, e)
	default:
		return false
	}
	return true
}

// hugeMessage is n bytes of text that reads as an error message.
func hugeMessage(n int) string {
	const line = "1 validation error detected: value failed to satisfy constraint; "
	return strings.Repeat(line, n/len(line)+1)[:n]
}
