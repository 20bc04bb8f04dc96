package vault

import (
	"errors"
	"strings"

	"github.com/aws/smithy-go"
)

// APIErrorCode returns the AWS error code in err, or "".
func APIErrorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}

// Explain returns a hint for AWS refusals users can act on, or "".
func Explain(err error) string {
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		return ""
	}
	msg := apiErr.ErrorMessage()
	switch code := apiErr.ErrorCode(); {
	case code == "AccessDenied" && strings.Contains(msg, "MultiFactorAuthentication failed"):
		return "AWS refused the MFA code: it was mistyped, expired, or already used (AWS accepts each code once); wait for the next code and try again"
	case code == "AccessDenied" && strings.Contains(msg, "sts:AssumeRole"):
		return "the role does not trust these credentials, or needs an MFA code or external_id the profile does not send; check role_arn, mfa_serial and external_id"
	case code == "InvalidClientTokenId" || code == "SignatureDoesNotMatch":
		return "AWS does not accept the stored access key (deleted, inactive or mistyped?); store a valid one with: aws-vault add <profile>"
	case code == "ExpiredToken":
		return "the temporary credentials expired; run: aws-vault clear, then try again"
	case code == "ValidationError" && strings.Contains(msg, "durationSeconds"):
		return "AWS accepts durations from 15 minutes; roles allow at most their MaxSessionDuration"
	}
	return ""
}
