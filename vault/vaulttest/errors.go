package vaulttest

import (
	"fmt"
	"net/http"
)

// Messages AWS sends, kept verbatim (trailing spaces and periods included).
const (
	msgInvalidToken     = "The security token included in the request is invalid."
	msgInvalidTokenIAM  = "The security token included in the request is invalid"
	msgExpiredToken     = "The security token included in the request is expired"
	msgSignatureBad     = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	msgMissingAuth      = "Request is missing Authentication Token"
	msgMFAInvalidCode   = "MultiFactorAuthentication failed with invalid MFA one time pass code. "
	msgMFAUnknownDevice = "MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user."
	msgRoleMaxDuration  = "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
	msgChainedDuration  = "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
	msgNonUserCreds     = "Must specify userName when calling with non-User credentials"
	msgExplicitDeny     = " with an explicit deny in an identity-based policy"
)

// apiError is an error answer: HTTP status, AWS error code and message.
type apiError struct {
	Status  int
	Code    string
	Message string
}

// Error implements error.
func (e *apiError) Error() string {
	return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message)
}

// errAccessDenied is 403 AccessDenied.
func errAccessDenied(msg string) *apiError {
	return &apiError{http.StatusForbidden, "AccessDenied", msg}
}

// errNotAuthorized is AWS's implicit-deny AccessDenied message.
func errNotAuthorized(caller, action, resource string) *apiError {
	return errAccessDenied(fmt.Sprintf("User: %s is not authorized to perform: %s on resource: %s", caller, action, resource))
}

// errDenied is AWS's explicit-deny AccessDenied message.
func errDenied(caller, action, resource string) *apiError {
	e := errNotAuthorized(caller, action, resource)
	e.Message += msgExplicitDeny
	return e
}

// errInvalidToken is 403 InvalidClientTokenId with msg.
func errInvalidToken(msg string) *apiError {
	return &apiError{http.StatusForbidden, "InvalidClientTokenId", msg}
}

// errExpired is 403 ExpiredToken.
func errExpired() *apiError {
	return &apiError{http.StatusForbidden, "ExpiredToken", msgExpiredToken}
}

// errSignature is 403 SignatureDoesNotMatch with msg.
func errSignature(msg string) *apiError {
	return &apiError{http.StatusForbidden, "SignatureDoesNotMatch", msg}
}

// errValidation is 400 ValidationError.
func errValidation(msg string) *apiError {
	return &apiError{http.StatusBadRequest, "ValidationError", msg}
}

// errConstraint is the "1 validation error detected" form of ValidationError.
func errConstraint(value, field, constraint string) *apiError {
	return errValidation(fmt.Sprintf("1 validation error detected: Value %s at '%s' failed to satisfy constraint: Member %s",
		value, field, constraint))
}

// errNoSuchUser is 404 NoSuchEntity for a user.
func errNoSuchUser(name string) *apiError {
	return &apiError{http.StatusNotFound, "NoSuchEntity", fmt.Sprintf("The user with name %s cannot be found.", name)}
}

// errNoSuchKey is 404 NoSuchEntity for an access key.
func errNoSuchKey(id string) *apiError {
	return &apiError{http.StatusNotFound, "NoSuchEntity", fmt.Sprintf("The Access Key with id %s cannot be found.", id)}
}

// errLimitExceeded is 409 LimitExceeded.
func errLimitExceeded(msg string) *apiError {
	return &apiError{http.StatusConflict, "LimitExceeded", msg}
}

// errInvalidAction is 400 InvalidAction.
func errInvalidAction(action, version string) *apiError {
	return &apiError{http.StatusBadRequest, "InvalidAction",
		fmt.Sprintf("Could not find operation %s for version %s", action, version)}
}
