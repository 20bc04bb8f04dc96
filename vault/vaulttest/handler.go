package vaulttest

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// API versions of the query protocol.
const (
	versionSTS = "2011-06-15"
	versionIAM = "2010-05-08"
	maxBody    = 1 << 20
)

// call is one request being served.
type call struct {
	r         *http.Request
	body      []byte
	form      url.Values
	ep        endpoint
	auth      *authHeader // nil when unsigned
	authErr   error       // a present but unparsable Authorization header
	service   string
	action    string
	requestID string
	rec       Request
}

// ServeHTTP serves STS, IAM, the sign-in federation endpoint, SSO OIDC and
// the SSO portal.
func (a *AWS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c, err := a.newCall(r)
	if err != nil {
		a.writeError(w, c, err)
		return
	}
	if ssoService(c.service) {
		a.serveSSO(w, c)
		return
	}
	if c.service == serviceSignin {
		a.serveFederation(w, c)
		return
	}
	if a.injectFault(w, c) {
		return
	}
	result, err := a.dispatch(c)
	if err != nil {
		a.writeError(w, c, err)
		return
	}
	a.writeResult(w, c, result)
}

// newCall reads the body and works out service and action. On error the
// returned call is still usable for the answer.
func (a *AWS) newCall(r *http.Request) (*call, *apiError) {
	c := &call{r: r, ep: classifyHost(r.Host), requestID: a.newRequestID()}
	c.rec = Request{Time: a.now().UTC(), Host: r.Host}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBody))
	if err != nil {
		return c, &apiError{http.StatusBadRequest, "MalformedInput", "could not read the request body"}
	}
	c.body = body
	if c.routeSSO() {
		return c, nil
	}
	if err := c.parseForm(); err != nil {
		return c, &apiError{http.StatusBadRequest, "MalformedQueryString", "could not parse the request parameters"}
	}
	if h := r.Header.Get("Authorization"); h != "" {
		ah, err := parseAuthorization(h)
		c.auth, c.authErr = &ah, err
	}
	c.service, c.action = c.route()
	c.fillRecord()
	return c, nil
}

// parseForm merges the URL query and a form-encoded body.
func (c *call) parseForm() error {
	form, err := url.ParseQuery(c.r.URL.RawQuery)
	if err != nil {
		return err
	}
	if c.r.Method == http.MethodPost && len(c.body) > 0 {
		bodyForm, err := url.ParseQuery(string(c.body))
		if err != nil {
			return err
		}
		for k, v := range bodyForm {
			form[k] = append(form[k], v...)
		}
	}
	c.form = form
	return nil
}

// route picks the service: the host's when it is a real AWS host name,
// /federation for sign-in, else the SigV4 scope's, else the API version's.
func (c *call) route() (service, action string) {
	action = c.form.Get("Action")
	switch {
	case c.ep.service == serviceSignin:
		return serviceSignin, action
	case c.ep.service != "":
		return c.ep.service, action
	case c.r.URL.Path == "/federation":
		return serviceSignin, action
	case c.auth != nil && c.authErr == nil:
		return c.auth.Service, action
	case c.form.Get("Version") == versionIAM:
		return serviceIAM, action
	}
	return serviceSTS, action
}

// notableParams are the parameters recorded with each request (never
// secrets such as TokenCode, Policy or WebIdentityToken).
func notableParams() []string {
	return []string{"RoleArn", "RoleSessionName", "ExternalId", "Name", "UserName",
		"AccessKeyId", "Status", "SerialNumber", "SourceIdentity", "SessionDuration"}
}

// fillRecord fills the request record from the parsed request.
func (c *call) fillRecord() {
	c.rec.Service, c.rec.Action = c.service, c.action
	if c.auth != nil && c.authErr == nil {
		c.rec.AccessKeyID, c.rec.Region = c.auth.AccessKeyID, c.auth.Region
	}
	c.rec.MFA = c.form.Get("SerialNumber") != "" || c.form.Get("TokenCode") != ""
	c.rec.DurationSeconds, _ = strconv.Atoi(c.form.Get("DurationSeconds"))
	c.rec.Params = map[string]string{}
	for _, k := range notableParams() {
		if v := c.form.Get(k); v != "" {
			c.rec.Params[k] = v
		}
	}
}

// dispatch authenticates the caller and runs the action.
func (a *AWS) dispatch(c *call) (any, *apiError) {
	if c.service == serviceSTS && c.action == "AssumeRoleWithWebIdentity" {
		return a.assumeRoleWithWebIdentity(c)
	}
	if c.service != serviceSTS && c.service != serviceIAM {
		return nil, &apiError{http.StatusBadRequest, "InvalidAction", "service " + strings.TrimSpace(c.service) + " is not emulated"}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	p, err := a.authenticateLocked(c)
	if err != nil {
		return nil, err
	}
	if c.service == serviceIAM {
		return a.dispatchIAMLocked(c, p)
	}
	return a.dispatchSTSLocked(c, p)
}
