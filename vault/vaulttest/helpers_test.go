package vaulttest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"
)

// world is a fixture emulator on a test server, with a settable clock.
type world struct {
	aws   *AWS
	url   string
	clock *Clock
}

// newWorld starts the fixture world behind an endpoint server.
func newWorld(t *testing.T, opts ...Option) *world {
	t.Helper()
	clock := NewClock(time.Now())
	a := Fixture(append([]Option{WithClock(clock.Now)}, opts...)...)
	return &world{aws: a, url: NewTestServer(t, a), clock: clock}
}

// keys is a set of credentials to sign with.
type keys struct{ id, secret, token string }

// user returns a fixture user's long-term keys.
func user(name string) keys {
	for _, u := range FixtureUsers() {
		if u.Name == name {
			return keys{u.AccessKeyID, u.SecretAccessKey, ""}
		}
	}
	panic("no fixture user " + name)
}

// temp turns STS credentials into keys.
func temp(c *ststypes.Credentials) keys {
	return keys{aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken)}
}

// config is an SDK config signing with k against the world, without retries.
func (w *world) config(k keys) aws.Config {
	return aws.Config{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider(k.id, k.secret, k.token),
		BaseEndpoint:     aws.String(w.url),
		RetryMaxAttempts: 1,
	}
}

// sts is an STS client for k.
func (w *world) sts(k keys) *sts.Client {
	return sts.NewFromConfig(w.config(k))
}

// iam is an IAM client for k.
func (w *world) iam(k keys) *iam.Client {
	return iam.NewFromConfig(w.config(k))
}

// wantAPIError asserts err is an AWS error with status and code, and
// message when it is not empty.
func wantAPIError(t *testing.T, err error, status int, code, message string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error = %v, want API error %s", err, code)
	}
	var re *awshttp.ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("error %v carries no HTTP response", err)
	}
	if re.HTTPStatusCode() != status || ae.ErrorCode() != code {
		t.Fatalf("got %d %s (%q), want %d %s", re.HTTPStatusCode(), ae.ErrorCode(), ae.ErrorMessage(), status, code)
	}
	if message != "" && ae.ErrorMessage() != message {
		t.Fatalf("message = %q, want %q", ae.ErrorMessage(), message)
	}
}

// noErr fails the test on err.
func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// ctx is the context of SDK calls in tests.
func ctx(t *testing.T) context.Context {
	return t.Context()
}

// mfaCode returns the current TOTP code of serial on the world's clock.
func (w *world) mfaCode(serial string) string {
	return w.aws.TOTPCode(serial)
}

// sessionToken gets GetSessionToken credentials for k, with MFA when
// serial is set.
func (w *world) sessionToken(t *testing.T, k keys, serial string) keys {
	t.Helper()
	in := &sts.GetSessionTokenInput{}
	if serial != "" {
		in.SerialNumber, in.TokenCode = aws.String(serial), aws.String(w.mfaCode(serial))
	}
	out, err := w.sts(k).GetSessionToken(ctx(t), in)
	noErr(t, err)
	return temp(out.Credentials)
}

// assume assumes role with k.
func (w *world) assume(t *testing.T, k keys, role string) keys {
	t.Helper()
	out, err := w.sts(k).AssumeRole(ctx(t), &sts.AssumeRoleInput{
		RoleArn: aws.String(role), RoleSessionName: aws.String("test")})
	noErr(t, err)
	return temp(out.Credentials)
}

// callerARN returns GetCallerIdentity's Arn for k.
func (w *world) callerARN(t *testing.T, k keys) string {
	t.Helper()
	out, err := w.sts(k).GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{})
	noErr(t, err)
	return aws.ToString(out.Arn)
}
