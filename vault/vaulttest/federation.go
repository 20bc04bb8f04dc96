package vaulttest

import (
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
)

// signinTokenLen is how many random bytes stand behind a sign-in token.
const signinTokenLen = 192

// signinSession is the Session parameter of getSigninToken.
type signinSession struct {
	SessionID    string `json:"sessionId"`
	SessionKey   string `json:"sessionKey"`
	SessionToken string `json:"sessionToken"`
}

// serveFederation serves GET /federation?Action=getSigninToken&Session=...
// It answers {"SigninToken": ...} for live AssumeRole, web identity or
// GetFederationToken credentials the emulator issued, else 400.
func (a *AWS) serveFederation(w http.ResponseWriter, c *call) {
	if c.r.URL.Path != "/federation" {
		a.sendText(w, c, http.StatusNotFound, "NotFound", "not found\n")
		return
	}
	var s signinSession
	_ = json.Unmarshal([]byte(c.form.Get("Session")), &s)
	c.rec.AccessKeyID = s.SessionID
	if a.injectFault(w, c) {
		return
	}
	if c.action != "getSigninToken" {
		a.sendText(w, c, http.StatusBadRequest, "InvalidAction", "unsupported Action\n")
		return
	}
	if msg := a.checkSigninSession(s, c.form.Get("SessionDuration")); msg != "" {
		a.sendText(w, c, http.StatusBadRequest, "InvalidSession", msg+"\n")
		return
	}
	token := base64.RawURLEncoding.EncodeToString(a.randomBytes(signinTokenLen))
	body, _ := json.Marshal(map[string]string{"SigninToken": token})
	a.send(w, c, http.StatusOK, "OK", "application/json", body)
}

// checkSigninSession returns why the session may not sign in, or "".
func (a *AWS) checkSigninSession(s signinSession, duration string) string {
	if duration != "" {
		if n, err := strconv.Atoi(duration); err != nil || n < minDuration || n > maxRoleDuration {
			return "invalid SessionDuration"
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	cr := a.creds[s.SessionID]
	switch {
	case cr == nil,
		subtle.ConstantTimeCompare([]byte(cr.SecretAccessKey), []byte(s.SessionKey)) != 1,
		subtle.ConstantTimeCompare([]byte(cr.SessionToken), []byte(s.SessionToken)) != 1:
		return "invalid session credentials"
	case cr.Revoked || !a.now().Before(cr.Expiration):
		return "session credentials expired"
	case cr.Kind == KindSessionToken:
		return "GetSessionToken credentials cannot sign in to the console"
	}
	return ""
}

// sendText answers with a short plain-text body.
func (a *AWS) sendText(w http.ResponseWriter, c *call, status int, code, body string) {
	a.send(w, c, status, code, "text/plain; charset=utf-8", []byte(body))
}
