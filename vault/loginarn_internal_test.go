package vault

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

func TestLastARNSegment(t *testing.T) {
	for arn, want := range map[string]string{
		"arn:aws:iam::111111111111:user/bob":                "bob",
		"arn:aws:iam::111111111111:user/team/ops/alice":     "alice",
		"arn:aws:iam::111111111111:root":                    "root",
		"arn:aws-cn:iam::111111111111:user/carol":           "carol",
		"arn:aws:sts::111111111111:assumed-role/Admin/sess": "sess",
		"not-an-arn": "",
	} {
		if got := lastARNSegment(arn); got != want {
			t.Errorf("lastARNSegment(%q) = %q, want %q", arn, got, want)
		}
	}
}

func TestUserNameFromDenial(t *testing.T) {
	denied := func(code, msg string) error {
		return fmt.Errorf("operation error IAM: GetUser, %w", &smithyhttp.ResponseError{
			Response: &smithyhttp.Response{Response: &http.Response{StatusCode: 403}},
			Err:      &smithy.GenericAPIError{Code: code, Message: msg},
		})
	}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{denied("AccessDenied", "User: arn:aws:iam::111111111111:user/ops/frank is not authorized to perform: iam:GetUser on resource: user frank"), "frank"},
		{denied("AccessDenied", "User: arn:aws-us-gov:iam::111111111111:user/dave is not authorized to perform: iam:GetUser"), "dave"},
		{denied("AccessDenied", "User: arn:aws:sts::111111111111:assumed-role/R/s is not authorized"), ""},
		{denied("InvalidClientTokenId", "User: arn:aws:iam::111111111111:user/x is not"), ""},
		{fmt.Errorf("dial tcp: timeout"), ""},
	} {
		if got := userNameFromDenial(tc.err); got != tc.want {
			t.Errorf("userNameFromDenial(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}
