package vault

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/awsvault/aws-vault/vault/config"
)

// maxSigninAnswer caps how much of the federation endpoint's answer is
// read (a sign-in token is well under 2 KiB).
const maxSigninAnswer = 64 << 10

// signinSession is the Session parameter of getSigninToken.
type signinSession struct {
	SessionID    string `json:"sessionId"`
	SessionKey   string `json:"sessionKey"`
	SessionToken string `json:"sessionToken"`
}

// SigninToken exchanges temporary credentials for a console sign-in token
// at the target's federation endpoint. The request goes through the HTTP
// client of the SDK configuration for p, so HTTPS_PROXY, NO_PROXY and
// AWS_CA_BUNDLE apply as they do to every AWS call, and so does the bound
// of an AWS call (AWS_VAULT_AWS_TIMEOUT). No SessionDuration is sent (as
// aws-vault v7: the console session lasts as long as the credentials).
// Errors never contain the request URL: it carries the secret key.
func (l *ConsoleLogin) SigninToken(ctx context.Context, p *config.Profile, t ConsoleTarget, creds aws.Credentials) (string, error) {
	cfg, err := l.AWS.Load(ctx, p, nil)
	if err != nil {
		return "", err
	}
	parent, limit := ctx, l.AWS.timeout()
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	session, err := json.Marshal(signinSession{creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken})
	if err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet,
		t.Prefix+"?Action=getSigninToken&Session="+url.QueryEscape(string(session)), nil)
	if err != nil {
		return "", fmt.Errorf("getSigninToken request to %s: %w", t.Prefix, stripURL(err))
	}
	l.logf("login: requesting a sign-in token from %s", t.Prefix)
	client := cfg.HTTPClient
	if client == nil { // what the SDK's service clients use by default
		client = awshttp.NewBuildableClient()
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", signinTimeout(parent, req.URL.Host, limit, fmt.Errorf("getSigninToken request to %s: %w", t.Prefix, stripURL(err)))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("Call to getSigninToken failed with %s", resp.Status)
	}
	token, err := readSigninToken(resp.Body, t.Prefix)
	return token, signinTimeout(parent, req.URL.Host, limit, err)
}

// signinTimeout names the endpoint and the limit when err is the bound of
// the call running out (rather than the caller giving up).
func signinTimeout(parent context.Context, host string, limit time.Duration, err error) error {
	if err == nil || parent.Err() != nil || !isTimeout(err) {
		return err
	}
	return fmt.Errorf("getSigninToken: %w", &AWSTimeoutError{Service: "sign-in", Operation: "getSigninToken", Host: host, Limit: limit, Err: err})
}

// readSigninToken parses {"SigninToken": "..."}; errors never quote the
// answer.
func readSigninToken(r io.Reader, prefix string) (string, error) {
	body, err := io.ReadAll(io.LimitReader(r, maxSigninAnswer+1))
	if err != nil {
		return "", fmt.Errorf("getSigninToken answer from %s: %w", prefix, err)
	}
	if len(body) > maxSigninAnswer {
		return "", fmt.Errorf("getSigninToken answer from %s: larger than %d bytes", prefix, maxSigninAnswer)
	}
	var out struct{ SigninToken string }
	if err := json.Unmarshal(body, &out); err != nil {
		return "", fmt.Errorf("getSigninToken answer from %s is not the expected JSON: %w", prefix, jsonReason(err))
	}
	if out.SigninToken == "" {
		return "", fmt.Errorf("getSigninToken answer from %s has no SigninToken", prefix)
	}
	return out.SigninToken, nil
}

// stripURL drops the URL (which carries the session's secret key) from an
// HTTP client error, keeping the cause.
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// jsonReason describes a JSON error without quoting the input.
func jsonReason(err error) error {
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		return fmt.Errorf("syntax error at byte %d", syntax.Offset)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return fmt.Errorf("%s has the wrong type", typ.Field)
	}
	return err
}
