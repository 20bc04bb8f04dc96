package server

import (
	"context"
	"errors"
	"net"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
)

// startECS serves h on a real loopback listener until the test ends and
// checks then that Serve returned cleanly and the port is closed.
func startECS(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, url, err := ListenECS()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, h) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
		if c, err := net.Dial("tcp", ln.Addr().String()); err == nil {
			c.Close()
			t.Errorf("%s still accepts connections after Serve returned", ln.Addr())
		}
	})
	return url
}

// The SDK's container-credentials provider, pointed at the server as
// aws-vault points a child at it, gets the credentials with their expiry;
// for a /role-arn/ URI, the role's.
func TestECSWithTheSDKContainerProvider(t *testing.T) {
	expires := time.Now().Add(time.Hour).Truncate(time.Second)
	roles := &recordingAssumer{}
	h := NewECSHandler(ECSConfig{Token: ecsTestToken, Credentials: &staticProvider{creds: testCreds(expires)}, Roles: roles})
	url := startECS(t, h)
	if want := "http://127.0.0.1:"; len(url) <= len(want) || url[:len(want)] != want {
		t.Fatalf("base URL %q, want %s<port>", url, want)
	}

	p := endpointcreds.New(url, func(o *endpointcreds.Options) { o.AuthorizationToken = ecsTestToken })
	c, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if c.AccessKeyID != testAccessKey || c.SecretAccessKey != testSecretKey || c.SessionToken != testToken ||
		!c.CanExpire || !c.Expires.Equal(expires) {
		t.Errorf("SDK got %s expiring %s (can expire %v), want %s expiring %s", c.AccessKeyID, c.Expires, c.CanExpire, testAccessKey, expires)
	}

	p = endpointcreds.New(url+"/role-arn/arn:aws:iam::222222222222:role/ReadOnly",
		func(o *endpointcreds.Options) { o.AuthorizationToken = ecsTestToken })
	if c, err = p.Retrieve(context.Background()); err != nil || c.AccessKeyID != "ASIAROLEOnly" {
		t.Errorf("role: %s, %v", c.AccessKeyID, err)
	}

	p = endpointcreds.New(url, func(o *endpointcreds.Options) { o.AuthorizationToken = "not-the-token" })
	if _, err := p.Retrieve(context.Background()); err == nil {
		t.Error("a wrong token got credentials")
	}
}

// A Go program using the SDK's default chain, with the environment
// aws-vault gives its child, gets the profile's credentials.
func TestECSWithTheSDKDefaultChain(t *testing.T) {
	expires := time.Now().Add(time.Hour).Truncate(time.Second)
	url := startECS(t, NewECSHandler(ECSConfig{Token: ecsTestToken, Credentials: &staticProvider{creds: testCreds(expires)}}))
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_CONTAINER_CREDENTIALS_FULL_URI": url,
		"AWS_CONTAINER_AUTHORIZATION_TOKEN":  ecsTestToken,
		"AWS_ACCESS_KEY_ID":                  "",
		"AWS_SECRET_ACCESS_KEY":              "",
		"AWS_SESSION_TOKEN":                  "",
		"AWS_PROFILE":                        "",
		"AWS_CONFIG_FILE":                    filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE":        filepath.Join(dir, "credentials"),
		"AWS_EC2_METADATA_DISABLED":          "true",
		"AWS_REGION":                         "eu-west-1",
	} {
		t.Setenv(k, v)
	}
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	c, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// The chain's own cache moves Expires earlier by its window.
	if c.AccessKeyID != testAccessKey || c.SecretAccessKey != testSecretKey || !c.CanExpire || c.Expires.After(expires) {
		t.Errorf("default chain got %s expiring %s, want %s expiring by %s", c.AccessKeyID, c.Expires, testAccessKey, expires)
	}
}

// Serve returns a listener's failure to the caller instead of ending the
// process, and closes the listener.
func TestServeReturnsErrors(t *testing.T) {
	ln, _, err := ListenECS()
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	err = Serve(context.Background(), ln, http.NotFoundHandler())
	if err == nil || !errors.Is(err, net.ErrClosed) {
		t.Errorf("Serve on a closed listener: %v", err)
	}
}

// Stopping the server closes kept-alive connections too: nothing is left
// open once Serve returns.
func TestServeClosesKeptAliveConnections(t *testing.T) {
	ln, url, err := ListenECS()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Serve(ctx, ln, NewECSHandler(ECSConfig{Token: ecsTestToken, Credentials: &staticProvider{creds: testCreds(time.Now().Add(time.Hour))}}))
	}()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", ecsTestToken)
	if err := req.Write(conn); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4096)
	if _, err := conn.Read(buf); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := conn.Read(buf); err == nil {
		t.Errorf("the kept-alive connection is still open after Serve returned (read %d bytes)", n)
	} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Error("the kept-alive connection is still open after Serve returned")
	}
}
