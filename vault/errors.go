package vault

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/aws/smithy-go"
	"github.com/awsvault/aws-vault/internal/errtree"
)

// APIErrorCode returns the AWS error code in err, or "".
func APIErrorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}

// HintedError is an error with a line of advice only the code that made it
// knows (which key is where after a failed rotation, what the clock of an
// AWS answer says): the one typed error hints travel in. cli prints the
// hint after the error line.
type HintedError struct {
	Err  error
	Hint string
}

func (e *HintedError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *HintedError) Unwrap() error { return e.Err }

// AWSRefusal marks an error that holds AWS's refusal of credentials
// aws-vault got for a profile (its stored key, an MFA code, a role's
// trust): a refusal the user can act on, which cli explains (Explain)
// where it prints the error. Other AWS errors are not marked, as the
// advice would be wrong for them: a new key AWS has not accepted yet, or
// credentials from the environment, which aws-vault add cannot fix.
type AWSRefusal struct{ Err error }

func (e *AWSRefusal) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *AWSRefusal) Unwrap() error { return e.Err }

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

// maxAWSMessage is how much of an AWS error message an error line shows: a
// broken or hostile endpoint can send megabytes.
const maxAWSMessage = 512

// ErrorText is err's text for a message, with every AWS error message in it
// longer than maxAWSMessage bytes cut there and marked as cut.
func ErrorText(err error) string {
	s := err.Error()
	for _, msg := range apiMessages(err) {
		if len(msg) > maxAWSMessage {
			s = strings.ReplaceAll(s, msg, cutMessage(msg))
		}
	}
	return s
}

// apiMessages collects the AWS error messages anywhere in err's tree.
func apiMessages(err error) []string {
	var found []string
	errtree.Walk(err, func(e error) {
		if apiErr, ok := e.(smithy.APIError); ok {
			found = append(found, apiErr.ErrorMessage())
		}
	})
	return found
}

// cutMessage keeps the first maxAWSMessage bytes of msg, on a character
// boundary, and says how long it was.
func cutMessage(msg string) string {
	n := maxAWSMessage
	for n > 0 && !utf8.RuneStart(msg[n]) {
		n--
	}
	return fmt.Sprintf("%s... [cut: %d bytes in all]", msg[:n], len(msg))
}
