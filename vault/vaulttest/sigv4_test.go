package vaulttest

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

const goodAuth = "AWS4-HMAC-SHA256 Credential=AKIABOBEXAMPLE000001/20240102/us-east-1/sts/aws4_request, " +
	"SignedHeaders=content-length;content-type;host;x-amz-date, " +
	"Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func TestParseAuthorization(t *testing.T) {
	ah, err := parseAuthorization(goodAuth)
	noErr(t, err)
	if ah.AccessKeyID != BobAccessKeyID || ah.Date != "20240102" || ah.Region != "us-east-1" || ah.Service != "sts" ||
		strings.Join(ah.SignedHeaders, ";") != "content-length;content-type;host;x-amz-date" {
		t.Errorf("parsed %+v", ah)
	}
	for _, bad := range []string{
		"",
		"AWS4-HMAC-SHA256",
		"AWS AKIA:sig",
		strings.Replace(goodAuth, "AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256", 1),
		strings.Replace(goodAuth, "/aws4_request", "/aws5_request", 1),
		strings.Replace(goodAuth, "20240102", "2024-01-02", 1),
		strings.Replace(goodAuth, "host;", "", 1),
		strings.Replace(goodAuth, "Signature=0", "Signature=", 1),
		strings.Replace(goodAuth, "Signature=0", "Signature=G", 1),
		strings.Replace(goodAuth, "content-type", "Content-Type", 1),
		strings.Replace(goodAuth, "SignedHeaders", "Signature", 1),
		strings.Replace(goodAuth, "Credential=AKIABOBEXAMPLE000001/", "Credential=/", 1),
		goodAuth + ", Extra",
	} {
		if _, err := parseAuthorization(bad); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

func FuzzParseAuthorization(f *testing.F) {
	f.Add(goodAuth)
	f.Add("AWS4-HMAC-SHA256 Credential=////, SignedHeaders=;;, Signature=")
	f.Add("AWS4-HMAC-SHA256 ,,,===")
	f.Fuzz(func(t *testing.T, h string) {
		ah, err := parseAuthorization(h)
		if err == nil && (len(ah.Signature) != 64 || ah.AccessKeyID == "" || len(ah.SignedHeaders) == 0) {
			t.Errorf("accepted malformed %q as %+v", h, ah)
		}
	})
}

// rawSigned signs a GetCallerIdentity POST for host with the SDK signer.
func rawSigned(t *testing.T, host, service, region string, k keys, at time.Time) *http.Request {
	t.Helper()
	body := "Action=GetCallerIdentity&Version=2011-06-15"
	req := httptest.NewRequest("POST", "https://"+host+"/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: k.id, SecretAccessKey: k.secret, SessionToken: k.token}
	noErr(t, v4.NewSigner().SignHTTP(ctx(t), creds, req, hex.EncodeToString(sum[:]), service, region, at))
	return req
}

// serve runs req through a and returns the status and body.
func serve(a *AWS, req *http.Request) (int, string) {
	rec := httptest.NewRecorder()
	a.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

func TestSigningScopeMustMatchHost(t *testing.T) {
	a := Fixture()
	now := time.Now()
	cases := []struct {
		host, service, region string
		status                int
		contains              string
	}{
		{"sts.amazonaws.com", "sts", "us-east-1", 200, "<Arn>" + bobARN + "</Arn>"},
		{"sts.eu-west-1.amazonaws.com", "sts", "eu-west-1", 200, "GetCallerIdentityResult"},
		{"sts.cn-north-1.amazonaws.com.cn", "sts", "cn-north-1", 200, "GetCallerIdentityResult"},
		{"sts.us-gov-west-1.amazonaws.com", "sts", "us-gov-west-1", 200, "GetCallerIdentityResult"},
		{"127.0.0.1:4566", "sts", "ap-south-2", 200, "GetCallerIdentityResult"},
		{"sts.eu-west-1.amazonaws.com", "sts", "us-east-1", 403, "Credential should be scoped to a valid region."},
		{"sts.amazonaws.com", "sts", "eu-west-1", 403, "Credential should be scoped to a valid region."},
		{"sts.amazonaws.com", "iam", "us-east-1", 403, "Credential should be scoped to correct service: &#39;sts&#39;."},
	}
	for _, tc := range cases {
		status, body := serve(a, rawSigned(t, tc.host, tc.service, tc.region, user("bob"), now))
		if status != tc.status || !strings.Contains(body, tc.contains) {
			t.Errorf("%s signed for %s/%s: %d %s", tc.host, tc.service, tc.region, status, body)
		}
	}
	if r := a.Requests()[4]; r.Region != "ap-south-2" || r.Host != "127.0.0.1:4566" {
		t.Errorf("recorded %+v", r)
	}
}

func TestTamperedRequestRefused(t *testing.T) {
	a := Fixture()
	req := rawSigned(t, "sts.amazonaws.com", "sts", "us-east-1", user("bob"), time.Now())
	req.Header.Set("Content-Type", "text/plain")
	if status, body := serve(a, req); status != 403 || !strings.Contains(body, "SignatureDoesNotMatch") {
		t.Errorf("tampered header: %d %s", status, body)
	}
	req = rawSigned(t, "sts.amazonaws.com", "sts", "us-east-1", user("bob"), time.Now())
	req.Header.Set("X-Amz-Date", time.Now().Add(time.Second).UTC().Format(amzDateFormat))
	if status, body := serve(a, req); status != 403 || !strings.Contains(body, "SignatureDoesNotMatch") {
		t.Errorf("tampered date: %d %s", status, body)
	}
	req = rawSigned(t, "sts.amazonaws.com", "sts", "us-east-1", user("bob"), time.Now())
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 junk")
	if status, body := serve(a, req); status != 400 || !strings.Contains(body, "IncompleteSignature") {
		t.Errorf("junk header: %d %s", status, body)
	}
}

func TestResponseShape(t *testing.T) {
	a := Fixture()
	status, body := serve(a, rawSigned(t, "sts.amazonaws.com", "sts", "us-east-1", user("bob"), time.Now()))
	prefix := `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><UserId>AIDA`
	if status != 200 || !strings.HasPrefix(body, prefix) ||
		!strings.Contains(body, "</GetCallerIdentityResult><ResponseMetadata><RequestId>") {
		t.Errorf("body = %s", body)
	}
	status, body = serve(a, rawSigned(t, "sts.amazonaws.com", "sts", "us-east-1", keys{BobAccessKeyID, strings.Repeat("x", 40), ""}, time.Now()))
	prefix = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>`
	if status != 403 || !strings.HasPrefix(body, prefix) || !strings.Contains(body, "</Error><RequestId>") {
		t.Errorf("body = %s", body)
	}
}
