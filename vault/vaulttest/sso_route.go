package vaulttest

import (
	"net/http"
	"net/url"
	"strings"
)

// The IAM Identity Center services the emulator tells apart. None of their
// calls is SigV4-signed: on a plain endpoint URL (AWS_ENDPOINT_URL_SSO_OIDC,
// AWS_ENDPOINT_URL_SSO) they are told apart by method and path.
const (
	serviceSSOOIDC   = "sso-oidc"   // oidc.<region>.amazonaws.com
	serviceSSO       = "sso"        // portal.sso.<region>.amazonaws.com
	serviceSSODevice = "sso-device" // device.sso.<region>.amazonaws.com
)

// ssoRoute is one operation of the SSO services: method and path.
type ssoRoute struct {
	method, path, service, action string
}

// ssoRoutes are the operations as the aws-sdk-go-v2 ssooidc and sso
// clients call them, plus the two pages a browser visits.
var ssoRoutes = []ssoRoute{
	{http.MethodPost, "/client/register", serviceSSOOIDC, "RegisterClient"},
	{http.MethodPost, "/device_authorization", serviceSSOOIDC, "StartDeviceAuthorization"},
	{http.MethodPost, "/token", serviceSSOOIDC, "CreateToken"},
	{http.MethodGet, "/authorize", serviceSSOOIDC, "Authorize"},
	{http.MethodGet, "/federation/credentials", serviceSSO, "GetRoleCredentials"},
	{http.MethodGet, "/assignment/accounts", serviceSSO, "ListAccounts"},
	{http.MethodGet, "/assignment/roles", serviceSSO, "ListAccountRoles"},
	{http.MethodPost, "/logout", serviceSSO, "Logout"},
}

// devicePagePath is the verification page on a plain endpoint URL; on the
// device.sso host it is "/".
const devicePagePath = "/device/"

// ssoService reports whether service is one of the SSO services.
func ssoService(service string) bool {
	return service == serviceSSOOIDC || service == serviceSSO || service == serviceSSODevice
}

// ssoHost matches oidc.<region>, portal.sso.<region> and device.sso.<region>
// under amazonaws.com, amazonaws.com.cn (cn- regions) and amazonaws.eu
// (eusc- regions), the host names the SDK resolves for SSO OIDC and SSO.
func ssoHost(host string) (endpoint, bool) {
	for prefix, service := range map[string]string{
		"oidc.": serviceSSOOIDC, "portal.sso.": serviceSSO, "device.sso.": serviceSSODevice,
	} {
		rest, ok := strings.CutPrefix(host, prefix)
		if !ok {
			continue
		}
		if region, ok := regionalSuffix(rest); ok {
			return endpoint{service, region}, true
		}
	}
	return endpoint{}, false
}

// regionalSuffix splits <region>.<partition DNS suffix>.
func regionalSuffix(rest string) (string, bool) {
	if region, ok := strings.CutSuffix(rest, ".amazonaws.com.cn"); ok {
		return region, strings.HasPrefix(region, "cn-") && validRegion(region)
	}
	if region, ok := strings.CutSuffix(rest, ".amazonaws.com"); ok {
		return region, !strings.HasPrefix(region, "cn-") && validRegion(region)
	}
	return euscRegionHost(rest)
}

// routeSSO recognises an SSO call by its host, or on a plain endpoint URL by
// its method and path. It fills in service and action, parses only the
// query (SSO bodies are JSON) and reports whether the call is an SSO one.
func (c *call) routeSSO() bool {
	service, action, ok := c.ssoOperation()
	if !ok {
		return false
	}
	c.service, c.action = service, action
	c.form, _ = url.ParseQuery(c.r.URL.RawQuery) // a bad query is refused by the operation
	if c.form == nil {
		c.form = url.Values{}
	}
	c.rec.Service, c.rec.Action = service, action
	c.rec.Params = map[string]string{}
	return true
}

// ssoOperation names the call's service and action. On an SSO host an
// unknown path or method is action "" (answered 404).
func (c *call) ssoOperation() (service, action string, ok bool) {
	path, get := c.r.URL.Path, c.r.Method == http.MethodGet
	switch {
	case c.ep.service == serviceSSODevice && path == "/" && get,
		c.ep.service == "" && (path == devicePagePath || path+"/" == devicePagePath) && get:
		return serviceSSODevice, "VerifyDevice", true
	case c.ep.service == serviceSSODevice:
		return serviceSSODevice, "", true
	}
	for _, rt := range ssoRoutes {
		if rt.path != path || c.ep.service != "" && c.ep.service != rt.service {
			continue
		}
		switch {
		case rt.method != c.r.Method:
			return rt.service, "", true
		case rt.action == "CreateToken" && c.r.URL.Query().Has("aws_iam"):
			return rt.service, "CreateTokenWithIAM", true
		}
		return rt.service, rt.action, true
	}
	if ssoService(c.ep.service) {
		return c.ep.service, "", true
	}
	return "", "", false
}
