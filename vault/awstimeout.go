package vault

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/awsvault/aws-vault/vault/config"
)

// DefaultAWSTimeout bounds one AWS call, every retry of it included, unless
// AWS_VAULT_AWS_TIMEOUT says otherwise. The SDK itself waits for ever for
// an endpoint that accepts a connection and never answers.
const DefaultAWSTimeout = 30 * time.Second

// maxDialTimeout bounds connecting and the TLS handshake of one attempt,
// so that an address that swallows packets leaves time for a retry.
const maxDialTimeout = 10 * time.Second

// AWSTimeoutVar is the environment variable that sets the bound.
const AWSTimeoutVar = "AWS_VAULT_AWS_TIMEOUT"

// ParseAWSTimeout reads AWS_VAULT_AWS_TIMEOUT's value: "" gives the
// default, anything else must be a positive Go duration.
func ParseAWSTimeout(v string) (time.Duration, error) {
	return config.EnvDuration(AWSTimeoutVar, v, DefaultAWSTimeout, "30s")
}

// AWSTimeoutError is an AWS call that did not complete within its bound.
// Its message leaves out the operation: the SDK's own error wrapping says
// it ("operation error STS: GetSessionToken, no complete answer ...").
type AWSTimeoutError struct {
	Service   string        // "STS", "IAM", "sign-in"
	Operation string        // "GetSessionToken", "getSigninToken"...
	Host      string        // the endpoint, e.g. sts.us-east-1.amazonaws.com
	Limit     time.Duration // the bound that was hit
	Err       error         // what the HTTP client or the SDK reported
}

func (e *AWSTimeoutError) Error() string {
	host := e.Host
	if host == "" {
		host = "the endpoint"
	}
	return fmt.Sprintf("no complete answer from %s within %s (%s sets the limit)", host, e.Limit, AWSTimeoutVar)
}

// Unwrap returns the underlying error.
func (e *AWSTimeoutError) Unwrap() error { return e.Err }

// boundedHTTPClient is the SDK's own HTTP client (proxy from the
// environment; LoadDefaultConfig adds AWS_CA_BUNDLE to it) with every
// phase of one attempt bounded: connecting and the TLS handshake by
// min(limit, 10s), the first byte of the answer and the whole answer by
// limit.
func boundedHTTPClient(limit time.Duration) *awshttp.BuildableClient {
	dial := min(limit, maxDialTimeout)
	return awshttp.NewBuildableClient().
		WithDialerOptions(func(d *net.Dialer) { d.Timeout = dial }).
		WithTransportOptions(func(t *http.Transport) {
			t.TLSHandshakeTimeout = dial
			t.ResponseHeaderTimeout = limit
		}).
		WithTimeout(limit)
}

// addCallDeadline returns the API option that bounds every SDK operation,
// its retries included, by limit.
func addCallDeadline(limit time.Duration) func(*middleware.Stack) error {
	return func(s *middleware.Stack) error {
		if err := s.Initialize.Add(callDeadline{limit}, middleware.Before); err != nil {
			return err
		}
		// After endpoint resolution and signing: the request's final host.
		return s.Finalize.Add(recordHost{}, middleware.After)
	}
}

// callDeadline puts the deadline on the operation's context and turns a
// timeout into an AWSTimeoutError naming the endpoint and the limit.
type callDeadline struct{ limit time.Duration }

func (callDeadline) ID() string { return "aws-vault/CallDeadline" }

func (m callDeadline) HandleInitialize(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (
	middleware.InitializeOutput, middleware.Metadata, error) {
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, m.limit)
	defer cancel()
	host := &hostRecord{}
	ctx = middleware.WithStackValue(ctx, hostRecordKey{}, host)
	out, md, err := next.HandleInitialize(ctx, in)
	if err != nil && parent.Err() == nil && isTimeout(err) {
		err = &AWSTimeoutError{Service: awsmiddleware.GetServiceID(ctx), Operation: awsmiddleware.GetOperationName(ctx),
			Host: host.get(), Limit: m.limit, Err: err}
	}
	return out, md, err
}

// recordHost notes the host each attempt is sent to.
type recordHost struct{}

func (recordHost) ID() string { return "aws-vault/RecordHost" }

func (recordHost) HandleFinalize(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (
	middleware.FinalizeOutput, middleware.Metadata, error) {
	if req, ok := in.Request.(*smithyhttp.Request); ok {
		if h, _ := middleware.GetStackValue(ctx, hostRecordKey{}).(*hostRecord); h != nil {
			h.set(req.URL.Host)
		}
	}
	return next.HandleFinalize(ctx, in)
}

type hostRecordKey struct{}

// hostRecord holds the host of the latest attempt.
type hostRecord struct {
	mu   sync.Mutex
	host string
}

func (h *hostRecord) set(host string) { h.mu.Lock(); h.host = host; h.mu.Unlock() }

func (h *hostRecord) get() string { h.mu.Lock(); defer h.mu.Unlock(); return h.host }

// isTimeout reports whether err is a deadline or an I/O timeout.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}
