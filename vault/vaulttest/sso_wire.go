package vaulttest

import (
	"encoding/json"
	"html"
	"net/http"
	"strings"
	"time"
)

// The x-amzn-ErrorType suffixes AWS sends after the exception name; SDKs
// keep the part before the colon.
const (
	oidcErrorNamespace   = ":http://internal.amazon.com/coral/com.amazonaws.sso.oidc/"
	portalErrorNamespace = ":http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/"
)

// oauthErrorCodes maps SSO OIDC exceptions to the OAuth 2.0 error code AWS
// puts in the body's "error" field (RFC 6749 §5.2, RFC 8628 §3.5).
var oauthErrorCodes = map[string]string{
	"AuthorizationPendingException":  "authorization_pending",
	"SlowDownException":              "slow_down",
	"ExpiredTokenException":          "expired_token",
	"AccessDeniedException":          "access_denied",
	"InvalidGrantException":          "invalid_grant",
	"InvalidClientException":         "invalid_client",
	"InvalidRequestException":        "invalid_request",
	"InvalidScopeException":          "invalid_scope",
	"UnauthorizedClientException":    "unauthorized_client",
	"UnsupportedGrantTypeException":  "unsupported_grant_type",
	"InvalidClientMetadataException": "invalid_client_metadata",
	"InvalidRedirectUriException":    "invalid_redirect_uri",
	"InternalServerException":        "server_error",
}

// Messages AWS sends, kept verbatim.
const (
	msgAuthorizationPending = "Authorization is still pending"
	msgInvalidRefreshToken  = "Invalid refresh token provided"
	msgPortalUnauthorized   = "Session token not found or invalid"
	msgPortalForbidden      = "No access"
)

// errOIDC is an SSO OIDC exception with the status AWS answers it with:
// 401 for InvalidClientException, 500 for InternalServerException, else 400.
func errOIDC(code, msg string) *apiError {
	status := http.StatusBadRequest
	switch code {
	case "InvalidClientException":
		status = http.StatusUnauthorized
	case "InternalServerException":
		status = http.StatusInternalServerError
	}
	return &apiError{status, code, msg}
}

// errPortalUnauthorized is the portal's 401 for a bad, expired or revoked
// access token.
func errPortalUnauthorized() *apiError {
	return &apiError{http.StatusUnauthorized, "UnauthorizedException", msgPortalUnauthorized}
}

// errPortalForbidden is the portal's 403 for a role the user is not
// assigned.
func errPortalForbidden() *apiError {
	return &apiError{http.StatusForbidden, "ForbiddenException", msgPortalForbidden}
}

// errPortalInvalid is the portal's 400 InvalidRequestException.
func errPortalInvalid(msg string) *apiError {
	return &apiError{http.StatusBadRequest, "InvalidRequestException", msg}
}

// errUnknownOperation answers a path or method no SSO operation has.
func errUnknownOperation() *apiError {
	return &apiError{http.StatusNotFound, "UnknownOperationException", "Unknown operation"}
}

// writeSSOJSON answers 200 with v as JSON.
func (a *AWS) writeSSOJSON(w http.ResponseWriter, c *call, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		a.writeSSOError(w, c, errOIDC("InternalServerException", err.Error()))
		return
	}
	a.send(w, c, http.StatusOK, "OK", "application/json", body)
}

// writeSSOError answers as AWS does: the exception name in x-amzn-ErrorType
// and, for SSO OIDC, {"error", "error_description"}; for the portal
// {"message"}; for the pages a browser visits, an HTML page.
func (a *AWS) writeSSOError(w http.ResponseWriter, c *call, e *apiError) {
	if c.service == serviceSSODevice || c.action == "Authorize" {
		a.sendPage(w, c, e.Status, e.Code, "Sign-in failed", e.Message)
		return
	}
	var body []byte
	if c.service == serviceSSOOIDC {
		w.Header().Set("X-Amzn-Errortype", e.Code+oidcErrorNamespace)
		code := oauthErrorCodes[e.Code]
		if code == "" {
			code = e.Code
		}
		body, _ = json.Marshal(map[string]string{"error": code, "error_description": e.Message})
	} else {
		w.Header().Set("X-Amzn-Errortype", e.Code+portalErrorNamespace)
		body, _ = json.Marshal(map[string]string{"message": e.Message})
	}
	a.send(w, c, e.Status, e.Code, "application/json", body)
}

// sendPage answers with a small HTML page, as the sign-in pages a browser
// sees.
func (a *AWS) sendPage(w http.ResponseWriter, c *call, status int, code, title, text string) {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html><head><title>")
	b.WriteString(html.EscapeString(title))
	b.WriteString("</title></head><body><h1>")
	b.WriteString(html.EscapeString(title))
	b.WriteString("</h1><p>")
	b.WriteString(html.EscapeString(text))
	b.WriteString("</p></body></html>\n")
	a.send(w, c, status, code, "text/html; charset=utf-8", []byte(b.String()))
}

// decodeSSOBody decodes a JSON request body into v. An empty body is an
// empty object, as the SDKs send for operations without members.
func decodeSSOBody(c *call, v any) *apiError {
	if len(strings.TrimSpace(string(c.body))) == 0 {
		return nil
	}
	if err := json.Unmarshal(c.body, v); err != nil {
		return errOIDC("InvalidRequestException", "The request body is not valid JSON")
	}
	return nil
}

// writeSSOExpired answers success with what expired ago on the emulator's
// clock, made up and never valid: role credentials for GetRoleCredentials,
// a token with a negative expiresIn for CreateToken, a registration past
// its clientSecretExpiresAt for RegisterClient, an expired device code for
// StartDeviceAuthorization; other actions answer an empty object.
func (a *AWS) writeSSOExpired(w http.ResponseWriter, c *call, ago time.Duration) {
	exp := a.now().Add(-ago)
	secs := -int(ago / time.Second)
	var out any = struct{}{}
	switch c.action {
	case "GetRoleCredentials":
		out = getRoleCredentialsOutput{roleCredentials{a.newAccessKeyID("ASIA"), a.newSecret(), a.newSessionToken(), exp.UnixMilli()}}
	case "CreateToken":
		out = createTokenOutput{a.newOpaque("aoa", 96), secs, "", "Bearer"}
	case "RegisterClient":
		out = registerClientOutput{a.newOpaque("", 24), exp.Add(-time.Hour).Unix(), a.newOpaque("eyJ", 192), exp.Unix()}
	case "StartDeviceAuthorization":
		out = startDeviceAuthorizationOutput{a.newOpaque("", 48), secs, 1, a.newUserCode(), c.deviceBase(), c.deviceBase()}
	}
	a.writeSSOJSON(w, c, out)
}
