package server

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// FuzzECSPath sends arbitrary request targets, as they arrive on the
// wire, to the ECS handler. Properties: without the token the answer is
// always 403; with it, a decoded path under /role-arn/ is answered with
// that exact role's credentials when it is a role ARN (500 and no AWS call
// otherwise), and every other path with the profile's credentials.
func FuzzECSPath(f *testing.F) {
	for _, seed := range []string{
		"/", "", "/role-arn/arn:aws:iam::222222222222:role/ReadOnly", "/role-arn/", "/role-arn",
		"//role-arn/arn:aws:iam::222222222222:role/x", "/role-arn/arn:aws:iam::222222222222:role/path/../x",
		"/role-arn/arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2FReadOnly", "/%2e%2e/role-arn/x", "*",
		"http://evil.example/role-arn/arn:aws:iam::222222222222:role/x", "/role-arn/arn:aws-cn:iam::1:role/a?x=1#y",
		"/role-arn/arn:aws:iam::222222222222:user/bob", "/ROLE-ARN/arn:aws:iam::222222222222:role/x",
	} {
		f.Add(seed)
	}
	base := testCreds(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	f.Fuzz(func(t *testing.T, target string) {
		req, err := http.ReadRequest(bufio.NewReader(strings.NewReader(
			"GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + ecsTestToken + "\r\n\r\n")))
		if err != nil {
			return // net/http answers 400 before any handler runs
		}
		var assumed []string
		roles := RoleAssumerFunc(func(_ context.Context, roleARN string) (aws.Credentials, error) {
			assumed = append(assumed, roleARN)
			c := base
			c.AccessKeyID = "ROLE:" + roleARN
			return c, nil
		})
		h := NewECSHandler(ECSConfig{Token: ecsTestToken, Credentials: &staticProvider{creds: base}, Roles: roles})

		w := serve(h, req)
		roleARN, isRole := strings.CutPrefix(req.URL.Path, "/role-arn/")
		var got ecsCredentials
		switch {
		case !isRole:
			if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &got) != nil || got.AccessKeyID != testAccessKey {
				t.Fatalf("%q (path %q): %d %s, want the profile's credentials", target, req.URL.Path, w.Code, w.Body.String())
			}
		case checkRoleARN(roleARN) == nil:
			if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &got) != nil || got.AccessKeyID != "ROLE:"+roleARN {
				t.Fatalf("%q: %d %s, want role %q", target, w.Code, w.Body.String(), roleARN)
			}
			if len(assumed) != 1 || assumed[0] != roleARN {
				t.Fatalf("%q: assumed %q, want exactly %q", target, assumed, roleARN)
			}
		default:
			if w.Code != http.StatusInternalServerError || len(assumed) != 0 {
				t.Fatalf("%q: %d %s after assuming %q, want 500 and no AssumeRole", target, w.Code, w.Body.String(), assumed)
			}
		}

		req.Header.Del("Authorization")
		if w := serve(h, req); w.Code != http.StatusForbidden {
			t.Fatalf("%q without the token: %d", target, w.Code)
		}
	})
}
