package vaulttest

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// startDeviceAuthorizationInput is StartDeviceAuthorization's request.
type startDeviceAuthorizationInput struct {
	ClientID     string `json:"clientId"`
	ClientSecret string `json:"clientSecret"`
	StartURL     string `json:"startUrl"`
}

// startDeviceAuthorizationOutput is its answer (durations in seconds).
type startDeviceAuthorizationOutput struct {
	DeviceCode              string `json:"deviceCode"`
	ExpiresIn               int    `json:"expiresIn"`
	Interval                int    `json:"interval"`
	UserCode                string `json:"userCode"`
	VerificationURI         string `json:"verificationUri"`
	VerificationURIComplete string `json:"verificationUriComplete"`
}

// startDeviceAuthorization is StartDeviceAuthorization (RFC 8628 §3.2).
func (a *AWS) startDeviceAuthorization(c *call) (any, *apiError) {
	var in startDeviceAuthorizationInput
	if err := decodeSSOBody(c, &in); err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	cl, err := a.authClientLocked(c, in.ClientID, in.ClientSecret)
	if err != nil {
		return nil, err
	}
	if !cl.allows(grantDeviceCode) {
		return nil, errOIDC("UnauthorizedClientException", "Client is not authorized to use the device code grant")
	}
	inst := a.instanceLocked(in.StartURL)
	if inst == nil || c.ep.region != "" && inst.region != c.ep.region {
		return nil, errOIDC("InvalidRequestException", "Invalid start URL")
	}
	s := a.sso.settings
	d := &ssoDevice{deviceCode: a.newOpaque("", 48), userCode: a.newUserCode(), clientID: cl.ClientID,
		instance: inst, expires: a.now().Add(s.DeviceCodeLifetime), interval: s.PollInterval, status: DevicePending}
	if s.AutoApprove {
		if u := inst.user(s.BrowserUser); u != nil {
			d.status, d.user = DeviceApproved, u.Name
			c.recordUser(u.Name)
		}
	}
	a.sso.devices[d.deviceCode] = d
	a.sso.userCodes[d.userCode] = d
	a.sso.deviceLog = append(a.sso.deviceLog, d)
	close(a.sso.started)
	a.sso.started = make(chan struct{})
	base := c.deviceBase()
	return startDeviceAuthorizationOutput{d.deviceCode, int(s.DeviceCodeLifetime / time.Second),
		int(d.interval / time.Second), d.userCode, base, base + "?user_code=" + url.QueryEscape(d.userCode)}, nil
}

// deviceBase is the verification URI: the device.sso host of the oidc
// host's region, or the device page of a plain endpoint URL.
func (c *call) deviceBase() string {
	host := strings.ToLower(stripPort(c.r.Host))
	if rest, ok := strings.CutPrefix(host, "oidc."); ok && c.ep.service == serviceSSOOIDC {
		return "https://device.sso." + rest + "/"
	}
	scheme := "http"
	if c.r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + c.r.Host + devicePagePath
}

// serveDevicePage is the verification page a browser opens: with
// ?user_code= it does what SSOSettings.Consent says, as the browser user.
func (a *AWS) serveDevicePage(w http.ResponseWriter, c *call) {
	code := c.form.Get("user_code")
	if code == "" {
		a.sendPage(w, c, http.StatusOK, "OK", "Authorize request", "Enter the code shown on your device.")
		return
	}
	a.mu.Lock()
	d := a.sso.userCodes[strings.ToUpper(code)]
	if d != nil && c.ep.region != "" && d.instance.region != c.ep.region {
		d = nil
	}
	consent, user := a.sso.settings.Consent, a.sso.settings.BrowserUser
	var err error
	switch {
	case d == nil:
		err = fmt.Errorf("no such code")
	case consent == SSOConsentAllow:
		err = a.decideLocked(d, DeviceApproved, user)
	case consent == SSOConsentDeny:
		err = a.decideLocked(d, DeviceDenied, user)
	}
	if err == nil && d != nil {
		c.recordUser(d.user)
	}
	a.mu.Unlock()
	switch {
	case err != nil:
		a.sendPage(w, c, http.StatusBadRequest, "InvalidUserCode", "Authorize request",
			"This code is not valid: it is unknown, has expired or was already used.")
	case consent == SSOConsentIgnore:
		a.sendPage(w, c, http.StatusOK, "Pending", "Authorize request", "Waiting for you to allow access.")
	case consent == SSOConsentDeny:
		a.sendPage(w, c, http.StatusOK, "AccessDenied", "Request denied", "You denied access; you can close this window.")
	default:
		a.sendPage(w, c, http.StatusOK, "OK", "Request approved", "You can close this window.")
	}
}

// decideLocked approves or denies a pending device authorization as user
// ("" the instance's first user).
func (a *AWS) decideLocked(d *ssoDevice, status, user string) error {
	u := d.instance.user(user)
	switch {
	case u == nil:
		return fmt.Errorf("vaulttest: SSO user %q is not in the instance at %s", user, d.instance.startURL)
	case !a.now().Before(d.expires):
		return fmt.Errorf("vaulttest: user code %s has expired", d.userCode)
	case d.status != DevicePending:
		return fmt.Errorf("vaulttest: user code %s is already %s", d.userCode, d.status)
	}
	d.status, d.user = status, u.Name
	return nil
}

// decide looks up userCode and approves or denies it.
func (a *AWS) decide(userCode, status, user string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	d := a.sso.userCodes[userCode]
	if d == nil {
		return fmt.Errorf("vaulttest: no device authorization has user code %q", userCode)
	}
	return a.decideLocked(d, status, user)
}

// SSOApprove approves the pending device authorization with userCode as
// the browser user (SSOSettings.BrowserUser, else the instance's first
// user): the client's next CreateToken poll gets a token. It fails for an
// unknown, expired or already decided code.
func (a *AWS) SSOApprove(userCode string) error {
	return a.decide(userCode, DeviceApproved, a.SSOSettings().BrowserUser)
}

// SSOApproveAs approves userCode as the named user of its instance.
func (a *AWS) SSOApproveAs(userCode, user string) error {
	return a.decide(userCode, DeviceApproved, user)
}

// SSODeny denies userCode: the client's next poll gets AccessDeniedException.
func (a *AWS) SSODeny(userCode string) error {
	return a.decide(userCode, DeviceDenied, a.SSOSettings().BrowserUser)
}

// SSODeviceAuthorization is a device authorization as a test sees it.
type SSODeviceAuthorization struct {
	UserCode   string
	ClientID   string
	StartURL   string
	Status     string // DevicePending, DeviceApproved, DeviceDenied or DeviceRedeemed
	User       string // who approved or denied it
	Interval   time.Duration
	Expiration time.Time
}

// SSODeviceAuthorizations returns every device authorization started so
// far, oldest first.
func (a *AWS) SSODeviceAuthorizations() []SSODeviceAuthorization {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]SSODeviceAuthorization, 0, len(a.sso.deviceLog))
	for _, d := range a.sso.deviceLog {
		out = append(out, SSODeviceAuthorization{d.userCode, d.clientID, d.instance.startURL, d.status, d.user,
			d.interval, d.expires})
	}
	return out
}

// WaitSSOUserCode returns the user code of the oldest pending, unexpired
// device authorization, waiting for one to start until ctx ends.
func (a *AWS) WaitSSOUserCode(ctx context.Context) (string, error) {
	for {
		a.mu.Lock()
		for _, d := range a.sso.deviceLog {
			if d.status == DevicePending && a.now().Before(d.expires) {
				a.mu.Unlock()
				return d.userCode, nil
			}
		}
		started := a.sso.started
		a.mu.Unlock()
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("vaulttest: no device authorization started: %w", ctx.Err())
		case <-started:
		}
	}
}
