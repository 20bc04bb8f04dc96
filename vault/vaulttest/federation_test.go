package vaulttest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// signinURL builds a getSigninToken URL for k on base.
func signinURL(base string, k keys) string {
	session, _ := json.Marshal(map[string]string{"sessionId": k.id, "sessionKey": k.secret, "sessionToken": k.token})
	return base + "/federation?Action=getSigninToken&Session=" + url.QueryEscape(string(session))
}

// getSignin fetches a sign-in URL and returns status and body.
func getSignin(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	noErr(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	noErr(t, err)
	return resp.StatusCode, string(body)
}

func TestFederationSigninToken(t *testing.T) {
	w := newWorld(t)
	k := w.assume(t, user("bob"), ReadOnlyRoleARN)
	status, body := getSignin(t, signinURL(w.url, k))
	var got struct{ SigninToken string }
	if err := json.Unmarshal([]byte(body), &got); status != 200 || err != nil || len(got.SigninToken) < 100 {
		t.Fatalf("got %d %q", status, body)
	}
	r := w.aws.RequestsFor("getSigninToken")
	if len(r) != 1 || r[0].Service != "signin" || r[0].AccessKeyID != k.id || r[0].Code != "OK" {
		t.Errorf("recorded %+v", r)
	}
}

func TestFederationFederatedUser(t *testing.T) {
	w := newWorld(t)
	out, err := w.sts(user("bob")).GetFederationToken(ctx(t), &sts.GetFederationTokenInput{Name: aws.String("bob")})
	noErr(t, err)
	if status, body := getSignin(t, signinURL(w.url, temp(out.Credentials))); status != 200 {
		t.Fatalf("got %d %q", status, body)
	}
}

func TestFederationRefusals(t *testing.T) {
	w := newWorld(t)
	role := w.assume(t, user("bob"), ReadOnlyRoleARN)
	revoked := w.assume(t, user("bob"), ReadOnlyRoleARN)
	w.aws.Revoke(revoked.id)
	wrongKey := role
	wrongKey.secret = strings.Repeat("a", 40)
	for name, u := range map[string]string{
		"session token":  signinURL(w.url, w.sessionToken(t, user("bob"), "")),
		"long-term keys": signinURL(w.url, user("bob")),
		"wrong secret":   signinURL(w.url, wrongKey),
		"revoked":        signinURL(w.url, revoked),
		"junk session":   w.url + "/federation?Action=getSigninToken&Session=%7Bjunk",
		"other action":   w.url + "/federation?Action=login",
		"bad duration":   signinURL(w.url, role) + "&SessionDuration=60",
	} {
		if status, body := getSignin(t, u); status != 400 || len(body) > 100 {
			t.Errorf("%s: got %d %q", name, status, body)
		}
	}
}

func TestFederationOnSigninHosts(t *testing.T) {
	w := newWorld(t)
	k := w.assume(t, user("bob"), ReadOnlyRoleARN)
	for _, host := range []string{"signin.aws.amazon.com", "eu-west-1.signin.aws.amazon.com", "signin.amazonaws.cn",
		"signin.amazonaws-us-gov.com", "signin.amazonaws-eusc.eu"} {
		req := httptest.NewRequest("GET", signinURL("https://"+host, k), nil)
		rec := httptest.NewRecorder()
		w.aws.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Errorf("%s: %d %s", host, rec.Code, rec.Body)
		}
	}
	req := httptest.NewRequest("GET", "https://signin.aws.amazon.com/console", nil)
	rec := httptest.NewRecorder()
	w.aws.ServeHTTP(rec, req)
	if rec.Code != 404 {
		t.Errorf("other path on a sign-in host: %d", rec.Code)
	}
}
