package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
)

// roleARNPrefix is the path under which the ECS server assumes a role of
// the caller's choosing: GET /role-arn/<ARN>.
const roleARNPrefix = "/role-arn/"

// RoleAssumer assumes a role for the ECS server's /role-arn/<ARN> path;
// aws-vault assumes it with the profile's credentials as the source.
type RoleAssumer interface {
	AssumeRole(ctx context.Context, roleARN string) (aws.Credentials, error)
}

// RoleAssumerFunc is a function that is a RoleAssumer.
type RoleAssumerFunc func(ctx context.Context, roleARN string) (aws.Credentials, error)

// AssumeRole calls f.
func (f RoleAssumerFunc) AssumeRole(ctx context.Context, roleARN string) (aws.Credentials, error) {
	return f(ctx, roleARN)
}

// ECSConfig is what the ECS credential server serves.
type ECSConfig struct {
	// Token is the secret every request must carry, exactly, as its
	// Authorization header (see NewToken). An empty Token refuses every
	// request.
	Token string
	// Credentials answer every path but /role-arn/…; pass a *Source so
	// they are served from memory.
	Credentials aws.CredentialsProvider
	// Roles assumes the role of a /role-arn/<ARN> request. Each role's
	// credentials are kept in memory and refreshed like Credentials. Nil
	// answers those requests with an error.
	Roles RoleAssumer
	// ExpiryWindow is AWS_MIN_TTL: role credentials are fetched again
	// this long before they expire.
	ExpiryWindow time.Duration
	// Logf, if set, receives a line for each failed request. It never
	// receives a secret.
	Logf func(format string, args ...any)
}

// NewECSHandler returns the ECS container-credentials server, as the AWS
// SDKs poll it through AWS_CONTAINER_CREDENTIALS_FULL_URI and
// AWS_CONTAINER_AUTHORIZATION_TOKEN. Any method and path is answered with
// Credentials as JSON ({"AccessKeyId","Expiration","SecretAccessKey",
// "Token"}, UTC expiry), except /role-arn/<ARN>, which is answered with
// that role's credentials. A request without the exact token gets 403
// {"Message":"invalid Authorization token"}; errors are 500
// {"Message":"…"}.
func NewECSHandler(c ECSConfig) http.Handler {
	return &ecsHandler{
		token:  c.Token,
		base:   &served{creds: c.Credentials},
		roles:  c.Roles,
		window: c.ExpiryWindow,
		logf:   c.Logf,
		byARN:  map[string]*served{},
	}
}

type ecsHandler struct {
	token  string
	base   *served
	roles  RoleAssumer
	window time.Duration
	logf   func(format string, args ...any)

	mu    sync.Mutex
	byARN map[string]*served
}

func (h *ecsHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// The header must equal the token exactly: no scheme, no trimming,
	// case-sensitive, as aws-vault v7 and the SDKs send it.
	if h.token == "" || !tokenEqual(r.Header.Get("Authorization"), h.token) {
		writeECSError(w, http.StatusForbidden, "invalid Authorization token")
		return
	}
	s := h.base
	if roleARN, ok := strings.CutPrefix(r.URL.Path, roleARNPrefix); ok {
		var err error
		if s, err = h.role(roleARN); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	body, err := s.body(r.Context())
	if err != nil {
		h.forget(s)
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write(body)
}

// role returns the in-memory credentials of roleARN, created on first use.
func (h *ecsHandler) role(roleARN string) (*served, error) {
	if h.roles == nil {
		return nil, errors.New("this server does not assume roles")
	}
	if err := checkRoleARN(roleARN); err != nil {
		return nil, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	s, ok := h.byARN[roleARN]
	if !ok {
		roles := h.roles
		p := aws.CredentialsProviderFunc(func(ctx context.Context) (aws.Credentials, error) {
			return roles.AssumeRole(ctx, roleARN)
		})
		src := NewSource(p, h.window)
		src.LogRefreshFailures(h.logf)
		s = &served{creds: src, arn: roleARN}
		h.byARN[roleARN] = s
	}
	return s, nil
}

// forget drops a role that has never been served, so that failing ARNs
// do not pile up in memory; the next request for it tries afresh.
func (h *ecsHandler) forget(s *served) {
	if s.arn == "" || s.last.Load() != nil {
		return
	}
	h.mu.Lock()
	if h.byARN[s.arn] == s {
		delete(h.byARN, s.arn)
	}
	h.mu.Unlock()
}

func (h *ecsHandler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if h.logf != nil {
		h.logf("ecs server: %s %s: %v", r.Method, r.URL.Path, err)
	}
	writeECSError(w, http.StatusInternalServerError, err.Error())
}

// checkRoleARN refuses what is not a role ARN before any AWS call:
// arn:<partition>:iam::<12-digit account>:role/[<path>/]<name>, in the
// characters IAM allows in role paths and names.
func checkRoleARN(s string) error {
	a, err := arn.Parse(s)
	name, isRole := strings.CutPrefix(a.Resource, "role/")
	if err != nil || !isRole || a.Service != "iam" || a.Region != "" || !validPartition(a.Partition) ||
		!validAccount(a.AccountID) || !validRoleName(name) {
		return fmt.Errorf("%q is not a role ARN (arn:<partition>:iam::<account>:role/<name>)", s)
	}
	return nil
}

func validPartition(p string) bool {
	return p != "" && strings.Trim(p, "abcdefghijklmnopqrstuvwxyz-") == ""
}

func validAccount(a string) bool {
	return len(a) == 12 && strings.Trim(a, "0123456789") == ""
}

// validRoleName accepts a role name with an optional path, as IAM has
// them: the name (at most 64 characters) in letters, digits and +=,.@_-,
// after path segments of any printable ASCII character but the slash
// between them (IAM's path pattern runs from ! to DEL).
func validRoleName(n string) bool {
	const nameChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+=,.@_-"
	segments := strings.Split(n, "/")
	name := segments[len(segments)-1]
	if name == "" || len(name) > 64 || strings.Trim(name, nameChars) != "" {
		return false
	}
	for _, seg := range segments[:len(segments)-1] {
		if seg == "" {
			return false
		}
		for i := 0; i < len(seg); i++ {
			if seg[i] < '!' || seg[i] > 0x7f {
				return false
			}
		}
	}
	return true
}

// served is one set of credentials and its last encoded answer: the JSON
// is encoded again only when the credentials change.
type served struct {
	creds aws.CredentialsProvider
	arn   string // "" for the profile's own credentials
	last  atomic.Pointer[encodedCreds]
}

type encodedCreds struct {
	creds aws.Credentials
	body  []byte
}

func (s *served) body(ctx context.Context) ([]byte, error) {
	c, err := s.creds.Retrieve(ctx)
	if err != nil {
		return nil, err
	}
	if !c.CanExpire {
		// The expiry served moves with the clock: nothing to keep.
		return encodeECSCredentials(c, time.Now())
	}
	if e := s.last.Load(); e != nil && sameCredentials(e.creds, c) {
		return e.body, nil
	}
	body, err := encodeECSCredentials(c, time.Now())
	if err != nil {
		return nil, err
	}
	s.last.Store(&encodedCreds{creds: c, body: body})
	return body, nil
}

func sameCredentials(a, b aws.Credentials) bool {
	return a.AccessKeyID == b.AccessKeyID && a.SecretAccessKey == b.SecretAccessKey &&
		a.SessionToken == b.SessionToken && a.Expires.Equal(b.Expires)
}

// ecsCredentials is the answer's JSON; the fields are in the order
// aws-vault v7 writes them (alphabetical, as encoding/json orders a map).
type ecsCredentials struct {
	AccessKeyID     string `json:"AccessKeyId"`
	Expiration      string `json:"Expiration"`
	SecretAccessKey string `json:"SecretAccessKey"`
	Token           string `json:"Token"`
}

// encodeECSCredentials is the JSON and a newline, as json.Encoder writes it.
func encodeECSCredentials(c aws.Credentials, now time.Time) ([]byte, error) {
	b, err := json.Marshal(ecsCredentials{
		AccessKeyID:     c.AccessKeyID,
		Expiration:      formatTime(servedExpiry(c, now)),
		SecretAccessKey: c.SecretAccessKey,
		Token:           c.SessionToken,
	})
	return append(b, '\n'), err
}

// staticExpiryHint is how far ahead of now the servers put the expiry of
// credentials that do not expire (a credential_process that prints no
// Expiration): the SDKs require one, and refuse a past one, as the zero
// time (year 1) would be, so they get a rolling one and ask again within
// the hour.
const staticExpiryHint = time.Hour

// servedExpiry is the expiry the servers tell a client for c.
func servedExpiry(c aws.Credentials, now time.Time) time.Time {
	if !c.CanExpire {
		return now.Add(staticExpiryHint)
	}
	return c.Expires
}

// formatTime is ISO 8601 in UTC to the second, as the SDKs parse it.
func formatTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05Z")
}

// writeECSError answers {"Message":msg} and a newline, as aws-vault v7.
func writeECSError(w http.ResponseWriter, status int, msg string) {
	b, _ := json.Marshal(struct{ Message string }{msg})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}
