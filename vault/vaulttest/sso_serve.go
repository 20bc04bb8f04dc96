package vaulttest

import (
	"encoding/json"
	"net/http"
	"strings"
)

// serveSSO answers a call to SSO OIDC, the SSO portal or the device
// verification page. Faults strike first, as for the other services.
func (a *AWS) serveSSO(w http.ResponseWriter, c *call) {
	c.recordSSOParams()
	if a.injectFault(w, c) {
		return
	}
	switch c.action {
	case "":
		a.writeSSOError(w, c, errUnknownOperation())
		return
	case "Authorize":
		a.serveAuthorize(w, c)
		return
	case "VerifyDevice":
		a.serveDevicePage(w, c)
		return
	}
	handlers := map[string]func(*call) (any, *apiError){
		"RegisterClient":           a.registerClient,
		"StartDeviceAuthorization": a.startDeviceAuthorization,
		"CreateToken":              a.createToken,
		"GetRoleCredentials":       a.getRoleCredentials,
		"ListAccounts":             a.listAccounts,
		"ListAccountRoles":         a.listAccountRoles,
		"Logout":                   a.logout,
	}
	h := handlers[c.action]
	if h == nil {
		a.writeSSOError(w, c, errOIDC("InvalidRequestException", c.action+" is not emulated"))
		return
	}
	out, err := h(c)
	switch {
	case err != nil:
		a.writeSSOError(w, c, err)
	case out == nil:
		a.send(w, c, http.StatusOK, "OK", "application/json", nil)
	default:
		a.writeSSOJSON(w, c, out)
	}
}

// ssoBodyParams are the JSON members recorded with each call, by the
// record's name. Secrets (clientSecret, deviceCode, code, codeVerifier,
// refreshToken) never are.
var ssoBodyParams = map[string]string{
	"clientName": "ClientName", "clientType": "ClientType", "scopes": "Scopes",
	"grantTypes": "GrantTypes", "redirectUris": "RedirectUris", "issuerUrl": "IssuerUrl",
	"clientId": "ClientId", "startUrl": "StartUrl", "grantType": "GrantType",
	"redirectUri": "RedirectUri", "scope": "Scope",
}

// ssoQueryParams are the query parameters recorded, by the record's name.
// Never state, code_challenge, user_code or tokens.
var ssoQueryParams = map[string]string{
	"account_id": "AccountId", "role_name": "RoleName", "client_id": "ClientId",
	"redirect_uri": "RedirectUri", "scopes": "Scopes", "response_type": "ResponseType",
	"code_challenge_method": "CodeChallengeMethod",
}

// recordSSOParams fills the record's notable parameters: lists are joined
// with commas.
func (c *call) recordSSOParams() {
	for q, name := range ssoQueryParams {
		if v := c.form.Get(q); v != "" {
			c.rec.Params[name] = v
		}
	}
	var body map[string]any
	if json.Unmarshal(c.body, &body) != nil {
		return
	}
	for k, name := range ssoBodyParams {
		switch v := body[k].(type) {
		case string:
			c.rec.Params[name] = v
		case []any:
			var parts []string
			for _, e := range v {
				if s, ok := e.(string); ok {
					parts = append(parts, s)
				}
			}
			c.rec.Params[name] = strings.Join(parts, ",")
		}
	}
}

// recordUser notes which IAM Identity Center user a call acted for.
func (c *call) recordUser(user string) {
	if user != "" {
		c.rec.Params["User"] = user
	}
}
