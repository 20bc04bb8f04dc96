package vaulttest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

// The answer faults reach an SDK client as AWS would send them: an expired
// credential it parses, and an error whose message is as long as asked.
func TestAnswerFaults(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.aws.Fault("GetSessionToken", FaultSpec{AnswerFault: AnswerFault{ExpiredBy: time.Hour}, Times: 1})
	out, err := w.sts(user("bob")).GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	if exp := aws.ToTime(out.Credentials.Expiration); !exp.Equal(w.clock.Now().Add(-time.Hour).Truncate(time.Second)) {
		t.Errorf("expiration %s, want an hour before %s", exp, w.clock.Now())
	}
	if id := aws.ToString(out.Credentials.AccessKeyId); len(id) != 20 || id[:4] != "ASIA" || aws.ToString(out.Credentials.SessionToken) == "" {
		t.Errorf("credentials %q", id)
	}
	const size = 8 << 20
	w.aws.Fault("AssumeRole", FaultSpec{Status: 400, Code: "ValidationError", AnswerFault: AnswerFault{HugeMessage: size}, Times: 1})
	_, err = w.sts(user("bob")).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(ReadOnlyRoleARN), RoleSessionName: aws.String("s")})
	wantAPIError(t, err, 400, "ValidationError", "")
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || len(apiErr.ErrorMessage()) != size {
		t.Errorf("message of %d bytes, want %d", len(apiErr.ErrorMessage()), size)
	}
	if got := w.aws.Count("AssumeRole"); got != 1 {
		t.Errorf("%d AssumeRole calls recorded", got)
	}
}

// A fault with After lets that many calls through, then strikes Times
// calls.
func TestFaultAfter(t *testing.T) {
	w := newWorld(t)
	w.aws.Fault("GetCallerIdentity", FaultSpec{Status: 403, Code: "AccessDenied", Times: 1, After: 2})
	var codes []string
	for range 4 {
		_, err := w.sts(user("bob")).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
		code := "OK"
		var apiErr smithy.APIError
		if errors.As(err, &apiErr) {
			code = apiErr.ErrorCode()
		}
		codes = append(codes, code)
	}
	if got := fmt.Sprint(codes); got != "[OK OK AccessDenied OK]" {
		t.Errorf("answers %s, want two OK, one AccessDenied, then OK", got)
	}
}
