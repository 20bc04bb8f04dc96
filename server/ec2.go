package server

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// ec2RoleName is the one "instance role" the EC2 metadata server lists.
const ec2RoleName = "local-credentials"

// EC2Config is what the EC2 metadata server serves.
type EC2Config struct {
	// Credentials are the instance role's; pass a *Source so they are
	// served from memory.
	Credentials aws.CredentialsProvider
	// Region is answered in the instance identity document.
	Region string
	// IMDSv2Only refuses requests without a session token with 401, as
	// an instance with HttpTokens=required (AWS_VAULT_EC2_IMDSV2_ONLY=1).
	IMDSv2Only bool
	// Now is the clock for session-token expiry and LastUpdated; nil is
	// time.Now.
	Now func() time.Time
	// Rand supplies the session-token key; nil is crypto/rand.
	Rand io.Reader
	// Logf, if set, receives a line for each failed credential request.
	// It never receives a secret.
	Logf func(format string, args ...any)
}

// NewEC2Handler returns the EC2 instance metadata server that SDKs reach
// at 169.254.169.254 through the proxy: the metadata paths aws-vault v7
// answers, IMDSv2 session tokens as EC2 issues them, and the client-IP
// and Host guards (401 otherwise).
func NewEC2Handler(c EC2Config) (http.Handler, error) {
	now := c.Now
	if now == nil {
		now = time.Now
	}
	tokens, err := newIMDSTokens(c.Rand, now)
	if err != nil {
		return nil, err
	}
	h := &ec2Handler{creds: c.Credentials, now: now, tokens: tokens, v2Only: c.IMDSv2Only, logf: c.Logf}
	region, _ := json.Marshal(c.Region)
	mux := http.NewServeMux()
	// Patterns ending in a slash answer every path below them, and the
	// path without the slash is redirected with 301, as aws-vault v7's
	// (current net/http would redirect with 307).
	for _, p := range []string{"/latest/meta-data/iam/security-credentials", "/latest/meta-data/instance-id", "/latest/meta-data/iam/info"} {
		mux.Handle(p, http.RedirectHandler(p+"/", http.StatusMovedPermanently))
	}
	mux.Handle("/latest/meta-data/iam/security-credentials/", textHandler(ec2RoleName))
	mux.HandleFunc("/latest/meta-data/iam/security-credentials/"+ec2RoleName, h.serveCredentials)
	// The AWS SDK for Go v1 asks for the instance ID to see that a
	// metadata service is there.
	mux.Handle("/latest/meta-data/instance-id/", textHandler("aws-vault"))
	// The AWS SDK for .NET asks for it when it fetches credentials.
	mux.Handle("/latest/meta-data/iam/info/", textHandler(`{"Code" : "Success"}`))
	// The SDKs read the region here.
	mux.Handle("/latest/dynamic/instance-identity/document", textHandler(`{"region": `+string(region)+`}`))
	h.mux = mux
	return h, nil
}

type ec2Handler struct {
	creds  aws.CredentialsProvider
	now    func() time.Time
	tokens *imdsTokens
	v2Only bool
	logf   func(format string, args ...any)
	mux    *http.ServeMux
}

func (h *ec2Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !checkClient(w, r) || !checkHost(w, r) {
		return
	}
	if r.URL.Path == imdsTokenPath || r.URL.Path == imdsTokenPath+"/" {
		h.serveToken(w, r)
		return
	}
	if !h.checkSessionToken(w, r) {
		return
	}
	h.mux.ServeHTTP(w, r)
}

// serveToken answers PUT /latest/api/token as EC2 does: 403 for a request
// that came through a forwarding proxy (it carries X-Forwarded-For), 400
// without a TTL of 1 to 21600 seconds, else the token with its TTL echoed
// in the same header (the AWS SDK for Go refuses an answer without it).
func (h *ec2Handler) serveToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPut {
		w.Header().Set("Allow", http.MethodPut)
		http.Error(w, "Method Not Allowed: ask for an IMDSv2 token with PUT", http.StatusMethodNotAllowed)
		return
	}
	if _, forwarded := r.Header["X-Forwarded-For"]; forwarded {
		http.Error(w, "Forbidden: a token request must not carry X-Forwarded-For", http.StatusForbidden)
		return
	}
	ttlValue := r.Header.Get(imdsTTLHeader)
	ttl, ok := parseTTL(ttlValue)
	if !ok {
		http.Error(w, "Bad Request: X-aws-ec2-metadata-token-ttl-seconds must be a whole number of seconds from 1 to "+
			strconv.Itoa(imdsMaxTTLSeconds), http.StatusBadRequest)
		return
	}
	w.Header().Set(imdsTTLHeader, ttlValue)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, h.tokens.issue(ttl))
}

// checkSessionToken answers 401 and returns false for a request with a
// session token that is not valid (unknown or expired), and, in
// IMDSv2-only mode, for a request without one. EC2 treats a request that
// carries the header as IMDSv2, whatever it holds.
func (h *ec2Handler) checkSessionToken(w http.ResponseWriter, r *http.Request) bool {
	vals, present := r.Header[imdsTokenHeader]
	switch {
	case present && (len(vals) != 1 || !h.tokens.valid(vals[0])):
		http.Error(w, "Unauthorized: the IMDSv2 session token is not valid or has expired", http.StatusUnauthorized)
		return false
	case !present && h.v2Only:
		http.Error(w, "Unauthorized: this metadata service requires an IMDSv2 session token (PUT "+imdsTokenPath+")",
			http.StatusUnauthorized)
		return false
	}
	return true
}

// ec2Credentials is the role credentials' JSON; the fields are in the
// order aws-vault v7 writes them (alphabetical, as encoding/json orders a
// map).
type ec2Credentials struct {
	AccessKeyID     string `json:"AccessKeyId"`
	Code            string `json:"Code"`
	Expiration      string `json:"Expiration"`
	LastUpdated     string `json:"LastUpdated"`
	SecretAccessKey string `json:"SecretAccessKey"`
	Token           string `json:"Token"`
	Type            string `json:"Type"`
}

// serveCredentials answers the role's credentials; a failure to get them
// is a 504 with the error, as aws-vault v7.
func (h *ec2Handler) serveCredentials(w http.ResponseWriter, r *http.Request) {
	c, err := h.creds.Retrieve(r.Context())
	if err != nil {
		if h.logf != nil {
			h.logf("ec2 server: %s %s: %v", r.Method, r.URL.Path, err)
		}
		http.Error(w, err.Error(), http.StatusGatewayTimeout)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_ = json.NewEncoder(w).Encode(ec2Credentials{
		AccessKeyID:     c.AccessKeyID,
		Code:            "Success",
		Expiration:      formatTime(servedExpiry(c, h.now())),
		LastUpdated:     formatTime(h.now()),
		SecretAccessKey: c.SecretAccessKey,
		Token:           c.SessionToken,
		Type:            "AWS-HMAC",
	})
}

// textHandler answers body as plain text, without a newline.
func textHandler(body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, body)
	})
}
