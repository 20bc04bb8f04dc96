package server

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
)

// requireRealEnv turns "cannot test this here" into a failure, as
// `make test` sets it.
const requireRealEnv = "AWSVAULT_REQUIRE_REAL"

// unavailable skips t with the reason, or fails it under
// AWSVAULT_REQUIRE_REAL=1.
func unavailable(t *testing.T, why string) {
	t.Helper()
	if os.Getenv(requireRealEnv) == "1" {
		t.Fatalf("%s (%s=1, so this is a failure)", why, requireRealEnv)
	}
	t.Skipf("SKIP: %s (set %s=1 to fail instead)", why, requireRealEnv)
}

// The whole EC2 path for real, in a private network namespace: the alias
// on its loopback, the proxy on 169.254.169.254:80, the metadata server
// on 127.0.0.1:9099, and real clients at the real address (the SDK's
// default IMDS client, botocore, the AWS CLI), in IMDSv1-and-v2 and
// IMDSv2-only modes; the guards against another source address and
// another Host; the stop request with and without the secret; and the
// alias gone after a stop request and after stdin closes.
func TestMetadataEndpointInANetworkNamespace(t *testing.T) {
	if os.Getenv("AWSVAULT_SERVER_TEST_CHILD") == "netns" {
		metadataInNamespace(t)
		return
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		unavailable(t, "unshare (util-linux) is not on PATH")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		if _, err := os.Stat("/usr/sbin/ip"); err != nil {
			unavailable(t, "ip (iproute2) is not installed")
		}
	}
	flags := "-n"
	if os.Geteuid() != 0 {
		flags = "-rn" // root in a user namespace of our own
	}
	if out, err := exec.Command(unshare, flags, "true").CombinedOutput(); err != nil {
		unavailable(t, "the kernel refuses a private network namespace: "+strings.TrimSpace(string(out)))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, unshare, flags, "--", os.Args[0], "-test.run=^TestMetadataEndpointInANetworkNamespace$", "-test.count=1", "-test.v")
	cmd.Env = append(cleanEnv(), "AWSVAULT_SERVER_TEST_CHILD=netns")
	out, err := cmd.CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("--- PASS")) {
		t.Fatalf("in the namespace: %v\n%s", err, out)
	}
	if bytes.Contains(out, []byte("SKIP:")) {
		t.Logf("in the namespace:\n%s", out)
	}
}

// cleanEnv is the environment without proxies or AWS settings, which
// would send the clients elsewhere.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch u := strings.ToUpper(k); {
		case strings.HasSuffix(u, "_PROXY"), strings.HasPrefix(u, "AWS_"):
		default:
			env = append(env, kv)
		}
	}
	return env
}

func mustRun(t *testing.T, argv ...string) {
	t.Helper()
	if out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(argv, " "), err, out)
	}
}

// metadataInNamespace runs inside the namespace.
func metadataInNamespace(t *testing.T) {
	ip, _ := aliasAddCommand()
	mustRun(t, ip[0], "link", "set", "lo", "up")
	// Another local address, as a host on the network would be seen.
	mustRun(t, ip[0], "addr", "add", "10.77.0.1/32", "dev", "lo")
	ctx := context.Background()
	if err := CheckEC2Ports(ctx, MetadataAddr, EC2CredentialsAddr); err != nil {
		t.Fatalf("nothing runs yet: %v", err)
	}

	stopBackend := startBackend(t, false)
	secret, stdin := proxyWithStdin(t)
	present, _ := metadataIPPresent()
	if !present {
		t.Fatal("no alias while the proxy runs")
	}
	if err := CheckEC2Ports(ctx, MetadataAddr, ""); err == nil || err.Error() != "Another process is already bound to 169.254.169.254:80" {
		t.Errorf("CheckEC2Ports with the proxy running: %v", err)
	}

	metadataClients(t, "IMDSv1 and v2")
	if s, _ := metadataGet(t, nil, MetadataIP); s != 200 {
		t.Errorf("token-less GET: %d, want 200", s)
	}
	stopBackend()
	stopBackend = startBackend(t, true)
	metadataClients(t, "IMDSv2 only")
	if s, body := metadataGet(t, nil, MetadataIP); s != 401 {
		t.Errorf("token-less GET in IMDSv2-only mode: %d %q, want 401", s, body)
	}

	other := &net.TCPAddr{IP: net.ParseIP("10.77.0.1")}
	if s, body := metadataGet(t, other, MetadataIP); s != 401 || body != "Access denied from non-localhost address\n" {
		t.Errorf("from 10.77.0.1: %d %q", s, body)
	}
	if s, body := metadataGet(t, nil, "evil.example"); s != 401 || body != "Access denied for host 'evil.example'\n" {
		t.Errorf("Host evil.example: %d %q", s, body)
	}

	if err := StopProxy(ctx, MetadataAddr, "wrong"+secret[5:]); err == nil {
		t.Error("StopProxy with a wrong secret stopped the proxy")
	}
	stopThroughHTTPProxy(t, secret)
	assertGone(t, "after the stop request")
	stdin.wait(t)

	// aws-vault gone (its end of the pipe closed): the proxy stops too.
	_, stdin = proxyWithStdin(t)
	stdin.w.Close()
	stdin.wait(t)
	assertGone(t, "after stdin closed")
	stopBackend()
}

// stopThroughHTTPProxy runs StopProxy in a process of its own with
// HTTP_PROXY set, as in a user's shell (net/http reads it once per
// process): the stop request must go straight to the proxy, not to the
// proxy HTTP_PROXY names, as aws-vault v7.2.0's did (its proxy then never
// stopped).
func stopThroughHTTPProxy(t *testing.T, secret string) {
	t.Helper()
	var trapped atomic.Int32
	trap := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		trapped.Add(1)
		w.WriteHeader(http.StatusOK)
	}))
	defer trap.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperStopProxy$", "-test.count=1")
	cmd.Env = append(cleanEnv(), "AWSVAULT_SERVER_TEST_CHILD=stop", "AWSVAULT_SERVER_TEST_SECRET="+secret,
		"HTTP_PROXY="+trap.URL, "http_proxy="+trap.URL)
	if out, err := cmd.CombinedOutput(); err != nil || !bytes.Contains(out, []byte("PASS")) {
		t.Errorf("StopProxy with HTTP_PROXY set: %v\n%s", err, out)
	}
	if n := trapped.Load(); n != 0 {
		t.Errorf("the stop request went to HTTP_PROXY (%d requests)", n)
	}
}

// TestHelperStopProxy is stopThroughHTTPProxy's child; run directly, it
// does nothing.
func TestHelperStopProxy(t *testing.T) {
	if os.Getenv("AWSVAULT_SERVER_TEST_CHILD") != "stop" {
		return
	}
	if err := StopProxy(context.Background(), MetadataAddr, os.Getenv("AWSVAULT_SERVER_TEST_SECRET")); err != nil {
		t.Fatal(err)
	}
}

// startBackend serves the EC2 metadata server on 127.0.0.1:9099 until the
// returned function is called.
func startBackend(t *testing.T, v2Only bool) func() {
	t.Helper()
	ln, err := ListenEC2(EC2CredentialsAddr)
	if err != nil {
		t.Fatal(err)
	}
	h, err := NewEC2Handler(EC2Config{Credentials: &staticProvider{creds: testCreds(time.Now().Add(time.Hour))},
		Region: "eu-west-1", IMDSv2Only: v2Only})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, h) }()
	return func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}
}

// stdinProxy is a proxy started as aws-vault starts it: the secret on a
// pipe that stays open; the proxy stops when the pipe closes.
type stdinProxy struct {
	w    *io.PipeWriter
	done chan error
}

func (p *stdinProxy) wait(t *testing.T) {
	t.Helper()
	select {
	case err := <-p.done:
		if err != nil {
			t.Errorf("RunProxy: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the proxy did not stop")
	}
}

func proxyWithStdin(t *testing.T) (string, *stdinProxy) {
	t.Helper()
	secret, err := NewToken(nil)
	if err != nil {
		t.Fatal(err)
	}
	r, w := io.Pipe()
	go func() { _, _ = io.WriteString(w, secret+"\n") }()
	got, closed, err := ReadProxyStdin(r, 5*time.Second)
	if err != nil || got != secret {
		t.Fatalf("ReadProxyStdin: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-closed; cancel() }()
	p := &stdinProxy{w: w, done: make(chan error, 1)}
	go func() {
		p.done <- RunProxy(ctx, ProxyConfig{Listen: MetadataAddr, Target: EC2CredentialsAddr, Secret: got, Alias: &Alias{}})
	}()
	if err := WaitForProxy(context.Background(), MetadataAddr, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	return secret, p
}

// metadataClients fetches the role credentials at 169.254.169.254 with
// the SDK's default IMDS client, botocore and the AWS CLI.
func metadataClients(t *testing.T, mode string) {
	t.Helper()
	c, err := ec2rolecreds.New(func(o *ec2rolecreds.Options) { o.Client = imds.New(imds.Options{}) }).Retrieve(context.Background())
	if err != nil || c.AccessKeyID != testAccessKey {
		t.Errorf("%s: Go SDK: %s, %v", mode, c.AccessKeyID, err)
	}
	dir := t.TempDir()
	env := append(cleanEnv(), "AWS_CONFIG_FILE="+filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "credentials"), "HOME="+dir)
	py := exec.Command("python3", "-c", "from botocore.utils import InstanceMetadataFetcher as F\n"+
		"print(F(timeout=5, num_attempts=2).retrieve_iam_role_credentials().get('access_key'))")
	py.Env = env
	if out, err := py.CombinedOutput(); err != nil && bytes.Contains(out, []byte("ModuleNotFoundError")) {
		unavailable(t, "python3 has no botocore (make test installs python3-boto3)")
	} else if err != nil || strings.TrimSpace(string(out)) != testAccessKey {
		t.Errorf("%s: botocore: %v\n%s", mode, err, out)
	}
	if _, err := exec.LookPath("aws"); err != nil {
		unavailable(t, "the AWS CLI is not on PATH (make test installs awscli)")
	}
	cli := exec.Command("aws", "configure", "list")
	cli.Env = env
	out, err := cli.CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("****************ON01")) || !bytes.Contains(out, []byte("iam-role")) {
		t.Errorf("%s: aws configure list: %v\n%s", mode, err, out)
	}
}

// metadataGet is a token-less GET of the instance ID at 169.254.169.254,
// from local (nil: any) with the Host header host.
func metadataGet(t *testing.T, local *net.TCPAddr, host string) (int, string) {
	t.Helper()
	d := &net.Dialer{Timeout: 5 * time.Second}
	if local != nil {
		d.LocalAddr = local
	}
	client := &http.Client{Transport: &http.Transport{Proxy: nil, DialContext: d.DialContext}}
	req, _ := http.NewRequest(http.MethodGet, "http://"+MetadataIP+"/latest/meta-data/instance-id/", nil)
	req.Host = host
	status, _, body := get(t, client, req)
	return status, body
}

// assertGone checks that nothing listens on 169.254.169.254:80 and the
// alias is gone.
func assertGone(t *testing.T, when string) {
	t.Helper()
	if present, err := metadataIPPresent(); err != nil || present {
		t.Errorf("%s: the alias is still there (%v)", when, err)
	}
	if Answers(context.Background(), MetadataAddr, ProbeTimeout) {
		t.Errorf("%s: something still answers on %s", when, MetadataAddr)
	}
}
