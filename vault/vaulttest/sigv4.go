package vaulttest

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

const (
	sigAlgorithm  = "AWS4-HMAC-SHA256"
	amzDateFormat = "20060102T150405Z"
	maxSkew       = 5 * time.Minute
)

// authHeader is a parsed SigV4 Authorization header.
type authHeader struct {
	AccessKeyID   string
	Date          string // YYYYMMDD from the credential scope
	Region        string
	Service       string
	SignedHeaders []string // lower case, as sent
	Signature     string   // 64 hex digits
}

// parseAuthorization parses
// "AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request,
// SignedHeaders=a;b, Signature=hex". It never panics on junk.
func parseAuthorization(h string) (authHeader, error) {
	rest, ok := strings.CutPrefix(h, sigAlgorithm+" ")
	if !ok {
		return authHeader{}, errors.New("unsupported algorithm")
	}
	fields := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || fields[k] != "" {
			return authHeader{}, fmt.Errorf("malformed component %q", part)
		}
		fields[k] = v
	}
	var ah authHeader
	if err := ah.setCredential(fields["Credential"]); err != nil {
		return authHeader{}, err
	}
	if err := ah.setSignedHeaders(fields["SignedHeaders"]); err != nil {
		return authHeader{}, err
	}
	ah.Signature = fields["Signature"]
	if len(ah.Signature) != 64 || !allIn(ah.Signature, "0123456789abcdef") {
		return authHeader{}, errors.New("malformed Signature")
	}
	return ah, nil
}

// setCredential parses AKID/DATE/REGION/SERVICE/aws4_request.
func (ah *authHeader) setCredential(s string) error {
	parts := strings.Split(s, "/")
	if len(parts) != 5 || parts[4] != "aws4_request" {
		return errors.New("malformed Credential")
	}
	for _, p := range parts[:4] {
		if p == "" {
			return errors.New("malformed Credential")
		}
	}
	if _, err := time.Parse("20060102", parts[1]); err != nil {
		return errors.New("malformed Credential date")
	}
	ah.AccessKeyID, ah.Date, ah.Region, ah.Service = parts[0], parts[1], parts[2], parts[3]
	return nil
}

// setSignedHeaders parses a;b;c, which must name host.
func (ah *authHeader) setSignedHeaders(s string) error {
	names := strings.Split(s, ";")
	hasHost := false
	for _, n := range names {
		if n == "" || n != strings.ToLower(n) || strings.ContainsAny(n, " \t:") {
			return errors.New("malformed SignedHeaders")
		}
		hasHost = hasHost || n == "host"
	}
	if !hasHost {
		return errors.New("SignedHeaders must include host")
	}
	ah.SignedHeaders = names
	return nil
}

// signingTime parses the request's X-Amz-Date.
func signingTime(r *http.Request) (time.Time, error) {
	return time.Parse(amzDateFormat, r.Header.Get("X-Amz-Date"))
}

// checkSkew refuses a signing time more than 5 minutes from now, in AWS's words.
func checkSkew(signed, now time.Time) *apiError {
	f := func(t time.Time) string { return t.UTC().Format(amzDateFormat) }
	switch {
	case signed.Before(now.Add(-maxSkew)):
		return errSignature(fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - 5 min.)",
			f(signed), f(now.Add(-maxSkew)), f(now)))
	case signed.After(now.Add(maxSkew)):
		return errSignature(fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + 5 min.)",
			f(signed), f(now.Add(maxSkew)), f(now)))
	}
	return nil
}

// signatureMatches re-signs a copy of r carrying only the signed headers,
// with the SDK's own signer, and compares signatures in constant time.
func signatureMatches(r *http.Request, body []byte, ah authHeader, secret string, at time.Time) bool {
	cp := signedCopy(r, body, ah)
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: ah.AccessKeyID, SecretAccessKey: secret}
	err := v4.NewSigner().SignHTTP(context.Background(), creds, cp, hex.EncodeToString(sum[:]),
		ah.Service, ah.Region, at, func(o *v4.SignerOptions) { o.DisableSessionToken = true })
	if err != nil {
		return false
	}
	want, err := parseAuthorization(cp.Header.Get("Authorization"))
	if err != nil {
		return false
	}
	sameHeaders := strings.Join(want.SignedHeaders, ";") == strings.Join(ah.SignedHeaders, ";")
	return subtle.ConstantTimeCompare([]byte(want.Signature), []byte(ah.Signature)) == 1 && sameHeaders
}

// signedCopy builds the request the client signed: same method, URL and
// host, and only the headers named in SignedHeaders.
func signedCopy(r *http.Request, body []byte, ah authHeader) *http.Request {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	u := &url.URL{Scheme: scheme, Host: r.Host, Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: r.URL.RawQuery}
	cp := &http.Request{Method: r.Method, URL: u, Host: r.Host, Header: http.Header{}}
	for _, name := range ah.SignedHeaders {
		switch name {
		case "host":
		case "content-length":
			cp.ContentLength = int64(len(body))
		default:
			if v := r.Header.Values(name); len(v) > 0 {
				cp.Header[http.CanonicalHeaderKey(name)] = v
			}
		}
	}
	return cp
}
