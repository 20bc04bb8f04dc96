//go:build linux

package cli_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/awsvault/aws-vault/vault/keyring/keyringtest"
	"github.com/awsvault/aws-vault/vault/vaulttest"
)

// The test binary run inside the namespace finds its work in these
// variables: where to write its namespace's identity (so that the run
// outside can find and kill whatever is left in it), the aws-vault binary,
// and the namespace it must not be in (the one it was started from).
const (
	ec2NetnsFileEnv = "AWSVAULT_CLI_TEST_EC2_NETNS_FILE"
	ec2BinEnv       = "AWSVAULT_CLI_TEST_EC2_BIN"
	ec2HostNetnsEnv = "AWSVAULT_CLI_TEST_EC2_HOST_NETNS"
	ec2HostMntnsEnv = "AWSVAULT_CLI_TEST_EC2_HOST_MNTNS"
	// ec2UserDirEnv is a directory of mode 0755 for the run as a user
	// (the test's own temporary directories are 0700).
	ec2UserDirEnv = "AWSVAULT_CLI_TEST_EC2_USER_DIR"
)

// ec2User is the unprivileged user aws-vault runs as to start its proxy
// through sudo: nobody, which every Debian system has.
const (
	ec2UserName = "nobody"
	ec2UserID   = 65534
)

const (
	// ec2Profile is a role profile: its identity is the role's, not the
	// stored user's, so a client that prints it got it from aws-vault.
	ec2Profile = "ec2role"
	ec2RoleArn = "arn:aws:sts::222222222222:assumed-role/ReadOnly/ec2-session"
	// ec2OtherIP is the namespace's second address, on a veth (or on lo
	// where veth is missing): a source the metadata endpoint refuses.
	ec2OtherIP = "10.77.0.2"
	metadataIP = "169.254.169.254"
)

// ec2Bound bounds one aws-vault run whose child is a real AWS client (the
// AWS CLI takes a second or two to start, more on a loaded -race run).
const ec2Bound = 2 * time.Minute

// The EC2 metadata server end to end, for real: the built aws-vault, found
// through PATH as a user runs it, runs exec --ec2-server in a private
// network namespace; its proxy (as root, started directly; as a user,
// through sudo -b) puts 169.254.169.254 on the namespace's loopback
// interface; real clients (the AWS CLI, boto3, curl) in the child reach it
// there and call the emulator, which runs in the namespace too (over its
// loopback, through HTTPS_PROXY). The namespace has no route anywhere
// else: nothing of it can reach this machine's network or AWS.
func TestEC2ServerInANetworkNamespace(t *testing.T) {
	if f := os.Getenv(ec2NetnsFileEnv); f != "" {
		ec2InNamespace(t, f)
		return
	}
	if os.Geteuid() != 0 {
		ec2Unavailable(t, "exec --ec2-server needs root: its proxy runs through sudo and adds a loopback alias")
	}
	tools := map[string]string{}
	for _, name := range []string{"unshare", "ip", "sudo", "curl"} {
		p, err := exec.LookPath(name)
		if err != nil {
			for _, dir := range []string{"/usr/sbin", "/sbin"} {
				if _, serr := os.Stat(filepath.Join(dir, name)); serr == nil {
					p, err = filepath.Join(dir, name), nil
				}
			}
		}
		if err != nil {
			ec2Unavailable(t, name+" is not installed (make deps installs it: see DEB_PACKAGES in the Makefile)")
		}
		tools[name] = p
	}
	if _, err := os.Stat("/usr/bin/aws"); err != nil {
		ec2Unavailable(t, "the AWS CLI (/usr/bin/aws) is not installed (make deps installs awscli)")
	}
	if out, err := exec.Command("/usr/bin/python3", "-c", "import boto3").CombinedOutput(); err != nil {
		ec2Unavailable(t, "/usr/bin/python3 has no boto3 (make deps installs python3-boto3): "+firstLine(string(out)))
	}
	if out, err := exec.Command(tools["unshare"], "-n", "true").CombinedOutput(); err != nil {
		ec2Unavailable(t, "the kernel refuses a private network namespace: "+firstLine(string(out)))
	}
	// A private mount namespace too, where the run as an unprivileged
	// user can have a sudoers file of its own (bind-mounted over
	// /etc/sudoers there only).
	unshareFlags := []string{"-n"}
	if exec.Command(tools["unshare"], "-n", "-m", "true").Run() == nil {
		unshareFlags = append(unshareFlags, "-m", "--propagation", "private")
	}
	hostNS, err := os.Readlink("/proc/self/ns/net")
	if err != nil {
		ec2Unavailable(t, "no /proc/self/ns/net: "+err.Error())
	}
	hostMnt, _ := os.Readlink("/proc/self/ns/mnt")
	t.Parallel()
	dir := t.TempDir()
	bin := buildAWSVault(t, dir)

	userDir, err := os.MkdirTemp("", "aws-vault-ec2-user-")
	if err == nil {
		err = os.Chmod(userDir, 0o755)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(userDir) })

	nsFile := filepath.Join(dir, "netns")
	logPath := filepath.Join(dir, "namespace.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	args := append(unshareFlags, "--", os.Args[0],
		"-test.run=^TestEC2ServerInANetworkNamespace$", "-test.count=1", "-test.v", "-test.timeout=7m")
	cmd := exec.CommandContext(ctx, tools["unshare"], args...)
	cmd.Env = append(ec2CleanEnv(), ec2NetnsFileEnv+"="+nsFile, ec2BinEnv+"="+bin,
		ec2HostNetnsEnv+"="+hostNS, ec2HostMntnsEnv+"="+hostMnt, ec2UserDirEnv+"="+userDir)
	// A file, not a pipe: a process left behind holding the output must
	// not keep this test waiting.
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.WaitDelay = 5 * time.Second
	runErr := cmd.Run()
	logFile.Close()
	left := killNamespace(nsFile, hostNS)
	out, _ := os.ReadFile(logPath)
	if len(left) > 0 {
		t.Errorf("processes left in the namespace after the run (killed now):\n%s", strings.Join(left, "\n"))
	}
	if runErr != nil || !bytes.Contains(out, []byte("--- PASS: TestEC2ServerInANetworkNamespace")) {
		t.Fatalf("in the namespace: %v\n%s", runErr, out)
	}
	if testing.Verbose() || bytes.Contains(out, []byte("SKIP:")) {
		t.Logf("in the namespace:\n%s", out)
	}
	if ps := append(psMatching(bin), psMatching(userDir)...); len(ps) > 0 {
		t.Errorf("aws-vault processes left running:\n%s", strings.Join(ps, "\n"))
	}
}

// ec2Unavailable skips t, saying why, or fails it under
// AWSVAULT_REQUIRE_REAL=1 (make test).
func ec2Unavailable(t *testing.T, why string) {
	t.Helper()
	if keyringtest.RequireReal() {
		t.Fatalf("%s (AWSVAULT_REQUIRE_REAL=1, so this is a failure)", why)
	}
	t.Skipf("SKIP: %s", why)
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}

// ec2CleanEnv is this process's environment without proxies or AWS
// settings, which would send the clients elsewhere.
func ec2CleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch u := strings.ToUpper(k); {
		case strings.HasSuffix(u, "_PROXY"), strings.HasPrefix(u, "AWS_"), strings.HasPrefix(u, "AWSVAULT_CLI_TEST_EC2_"):
		default:
			env = append(env, kv)
		}
	}
	return env
}

// namespacePIDs lists the processes in network namespace ns (a
// /proc/PID/ns/net link), except the pids given.
func namespacePIDs(ns string, except ...int) []int {
	entries, _ := os.ReadDir("/proc")
	var pids []int
next:
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		for _, x := range except {
			if pid == x {
				continue next
			}
		}
		// A zombie has no namespace any more: readlink fails.
		if link, err := os.Readlink(filepath.Join("/proc", e.Name(), "ns", "net")); err == nil && link == ns {
			pids = append(pids, pid)
		}
	}
	return pids
}

// describeProcess is "PID: command line".
func describeProcess(pid int) string {
	cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	return fmt.Sprintf("%d: %s", pid, strings.TrimSpace(string(bytes.ReplaceAll(cmdline, []byte{0}, []byte{' '}))))
}

// killNamespace kills, by pid, every process still in the namespace
// named in nsFile (never this test's own) and describes them.
func killNamespace(nsFile, hostNS string) []string {
	id, err := os.ReadFile(nsFile)
	ns := strings.TrimSpace(string(id))
	if err != nil || ns == "" || ns == hostNS {
		return nil
	}
	var left []string
	for _, pid := range namespacePIDs(ns, os.Getpid()) {
		left = append(left, describeProcess(pid))
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	return left
}

// psMatching lists the processes, system-wide as ps shows them, whose
// command line contains s.
func psMatching(s string) []string {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "ps", "-eo", "pid=,args=").Output()
	if err != nil {
		return []string{"ps: " + err.Error()}
	}
	var found []string
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, s) {
			found = append(found, strings.TrimSpace(line))
		}
	}
	return found
}

// ec2World is the namespace's side: the emulator, a home with a stored
// key and a role profile, and aws-vault run as a user runs it.
type ec2World struct {
	t   *testing.T
	dir string
	bin string
	ns  string
	uid int // who runs aws-vault: 0, or ec2UserID (through sudo)
	// proxyPID is the proxy of the last startLongChild.
	proxyPID int
	env      []string
	aws      *vaulttest.AWS
}

// ec2InNamespace is the test, run inside the private network namespace.
func ec2InNamespace(t *testing.T, nsFile string) {
	ns, err := os.Readlink("/proc/self/ns/net")
	if err != nil {
		t.Fatal(err)
	}
	if ns == os.Getenv(ec2HostNetnsEnv) {
		t.Fatal("not in a network namespace of its own: refusing to touch this machine's interfaces")
	}
	if err := os.WriteFile(nsFile, []byte(ns), 0o600); err != nil {
		t.Fatal(err)
	}
	ip := ipPath()
	nsRun(t, ip, "link", "set", "lo", "up")
	// A second address, as another host's packet routed here would come
	// from: on a veth pair, or on lo where the kernel has no veth.
	if err := exec.Command(ip, "link", "add", "av0", "type", "veth", "peer", "name", "av1").Run(); err == nil {
		nsRun(t, ip, "addr", "add", ec2OtherIP+"/24", "dev", "av0")
		nsRun(t, ip, "link", "set", "av0", "up")
		nsRun(t, ip, "link", "set", "av1", "up")
	} else {
		nsRun(t, ip, "addr", "add", ec2OtherIP+"/32", "dev", "lo")
	}

	t.Run("as root", func(t *testing.T) {
		w := newEC2World(t, os.Getenv(ec2BinEnv), ns, 0)
		w.scenarios(t, ip)
	})

	// As a user, aws-vault starts its proxy with sudo -b and the absolute
	// path of its executable: the sudoers rule allows exactly that
	// command, as a user would write it.
	t.Run("as a user through sudo", func(t *testing.T) {
		mnt, _ := os.Readlink("/proc/self/ns/mnt")
		if mnt == "" || mnt == os.Getenv(ec2HostMntnsEnv) {
			ec2Unavailable(t, "the kernel refuses a private mount namespace, where the test's sudoers file would go")
		}
		w := newEC2World(t, os.Getenv(ec2BinEnv), ns, ec2UserID)
		sudoers := filepath.Join(w.dir, "sudoers")
		rules := "Defaults env_reset\nroot ALL=(ALL:ALL) ALL\n" + ec2UserName + " ALL=(root) NOPASSWD: " + w.bin + " proxy\n"
		if err := os.WriteFile(sudoers, []byte(rules), 0o440); err != nil {
			t.Fatal(err)
		}
		nsRun(t, "mount", "--bind", sudoers, "/etc/sudoers")
		t.Cleanup(func() { _ = exec.Command("umount", "/etc/sudoers").Run() })
		w.scenarios(t, ip)

		t.Run("no sudo", func(t *testing.T) {
			w.assertStartFails(t, []string{"PATH=" + filepath.Dir(w.bin)},
				"aws-vault: error: exec: the EC2 metadata server needs sudo to start its proxy on 169.254.169.254:80 as root: "+
					"exec: \"sudo\": executable file not found in $PATH\n")
		})
		t.Run("sudo refuses", func(t *testing.T) {
			// The same file (the bind mount follows it), without the rule:
			// sudo wants a password, and there is no terminal to ask on.
			if err := os.WriteFile(sudoers, []byte("Defaults env_reset\nroot ALL=(ALL:ALL) ALL\n"), 0o440); err != nil {
				t.Fatal(err)
			}
			w.assertStartFails(t, nil, "")
		})
	})
}

// scenarios are the runs of exec --ec2-server, each followed by the check
// that nothing of it is left.
func (w *ec2World) scenarios(t *testing.T, ip string) {
	w.assertClean(t, "before any run")

	t.Run("IMDSv2 then v1", func(t *testing.T) {
		w.clients(t, nil)
		status, out, stderr := w.vault(t, nil, "exec", "--ec2-server", ec2Profile, "--",
			"/usr/bin/curl", "-sS", "-m", "10", "-w", `|%{http_code}\n`, "http://"+metadataIP+"/latest/meta-data/iam/security-credentials/")
		if status != 0 || out != "local-credentials|200\n" {
			t.Errorf("token-less curl: status %d, stdout %q, stderr %q; want the role name and 200", status, out, stderr)
		}
		w.assertClean(t, "after the runs")
	})

	t.Run("IMDSv2 only", func(t *testing.T) {
		v2only := []string{"AWS_VAULT_EC2_IMDSV2_ONLY=1"}
		w.clients(t, v2only)
		script := `c() { /usr/bin/curl -sS -m 10 -w '|%{http_code}\n' "$@"; }
u=http://` + metadataIP + `/latest/meta-data/iam/security-credentials/
c "$u"
token=$(/usr/bin/curl -sS -m 10 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' http://` + metadataIP + `/latest/api/token)
c -H "X-aws-ec2-metadata-token: $token" "$u"
c -H "X-aws-ec2-metadata-token: not-a-token" "$u"
t=http://` + metadataIP + `/latest/api/token
/usr/bin/curl -sS -m 10 -o /dev/null -D - -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' $t | tr -d '\r' | grep -i '^x-aws-ec2-metadata-token-ttl-seconds:'
c -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' -H 'X-Forwarded-For: 203.0.113.9' $t
c -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 21601' $t`
		status, out, stderr := w.vault(t, v2only, "exec", "--ec2-server", ec2Profile, "--", "/bin/sh", "-c", script)
		want := "Unauthorized: this metadata service requires an IMDSv2 session token (PUT /latest/api/token)\n|401\n" +
			"local-credentials|200\n" +
			"Unauthorized: the IMDSv2 session token is not valid or has expired\n|401\n" +
			"X-Aws-Ec2-Metadata-Token-Ttl-Seconds: 60\n" +
			"Forbidden: a token request must not carry X-Forwarded-For\n|403\n" +
			"Bad Request: X-aws-ec2-metadata-token-ttl-seconds must be a whole number of seconds from 1 to 21600\n|400\n"
		if status != 0 || out != want {
			t.Errorf("curl in IMDSv2-only mode: status %d, stderr %q, stdout\n%s\nwant\n%s", status, stderr, out, want)
		}
		w.assertClean(t, "after the runs")
	})

	t.Run("guards and the stop request", func(t *testing.T) {
		script := `c() { /usr/bin/curl -sS -m 10 -w '|%{http_code}\n' "$@"; }
m=http://` + metadataIP + `
c --interface ` + ec2OtherIP + ` $m/latest/meta-data/iam/security-credentials/
c --interface ` + ec2OtherIP + ` http://127.0.0.1:9099/latest/meta-data/iam/security-credentials/
c -H 'Host: evil.example' $m/latest/meta-data/iam/security-credentials/
c -X POST $m/stop
c $m/stop
c -X POST -H 'X-Aws-Vault-Proxy-Secret: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' $m/stop
c $m/latest/meta-data/instance-id/`
		status, out, stderr := w.vault(t, nil, "exec", "--ec2-server", ec2Profile, "--", "/bin/sh", "-c", script)
		want := "Access denied from non-localhost address\n|401\n" +
			"Access denied from non-localhost address\n|401\n" +
			"Access denied for host 'evil.example'\n|401\n" +
			"Forbidden: the stop request needs the proxy's secret\n|403\n" +
			"Forbidden: the stop request needs the proxy's secret\n|403\n" +
			"Forbidden: the stop request needs the proxy's secret\n|403\n" +
			"aws-vault|200\n"
		if status != 0 || out != want {
			t.Errorf("status %d, stderr %q, stdout\n%s\nwant\n%s", status, stderr, out, want)
		}
		w.assertClean(t, "after a normal stop")
	})

	t.Run("exit status passed through, stop not sent through HTTP_PROXY", func(t *testing.T) {
		var trapped atomic.Int32
		trap := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			trapped.Add(1)
			rw.WriteHeader(http.StatusOK)
		}))
		defer trap.Close()
		env := []string{"HTTP_PROXY=" + trap.URL, "http_proxy=" + trap.URL}
		status, out, stderr := w.vault(t, env, "exec", "--ec2-server", ec2Profile, "--", "/bin/sh", "-c", "exit 7")
		if status != 7 || out != "" || stderr != "" {
			t.Errorf("sh -c 'exit 7': status %d, stdout %q, stderr %q; want 7 and no output", status, out, stderr)
		}
		if n := trapped.Load(); n != 0 {
			t.Errorf("%d requests went to HTTP_PROXY", n)
		}
		// Already gone when aws-vault returns (it waits for the proxy to
		// take the alias off): the next exec --ec2-server can start at
		// once.
		if w.aliasPresent() {
			t.Error("the alias is still there when aws-vault returns")
		}
		if status, _, stderr := w.vault(t, nil, "exec", "--ec2-server", ec2Profile, "--", "/bin/true"); status != 0 {
			t.Errorf("exec --ec2-server again at once: status %d, stderr %q", status, stderr)
		}
		w.assertClean(t, "after the child exited 7")
	})

	t.Run("SIGTERM to aws-vault", func(t *testing.T) {
		cmd, pid, wait := w.startLongChild(t)
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		status, stderr := wait()
		// The signal is forwarded to the child, which it ends; aws-vault
		// reports its status as a shell would.
		if status != 128+int(syscall.SIGTERM) {
			t.Errorf("status %d after SIGTERM (child %d), want %d; stderr %q", status, pid, 128+int(syscall.SIGTERM), stderr)
		}
		w.assertClean(t, "after SIGTERM to aws-vault")
	})

	t.Run("child killed", func(t *testing.T) {
		_, pid, wait := w.startLongChild(t)
		if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		status, stderr := wait()
		if status != 128+int(syscall.SIGKILL) {
			t.Errorf("status %d after the child was killed, want %d; stderr %q", status, 128+int(syscall.SIGKILL), stderr)
		}
		w.assertClean(t, "after the child was killed")
	})

	t.Run("aws-vault killed", func(t *testing.T) {
		// SIGKILL leaves aws-vault no chance to stop anything: its end of
		// the proxy's stdin closes, and the proxy stops by itself. The
		// child, orphaned as any process whose parent is killed, is the
		// test's to end.
		cmd, pid, wait := w.startLongChild(t)
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(bound)
		for w.aliasPresent() && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if w.aliasPresent() {
			t.Errorf("%s after aws-vault was killed, the alias is still there", bound)
		}
		if syscall.Kill(pid, 0) != nil {
			t.Errorf("the child %d ended with aws-vault: the alias check above proved nothing about the proxy alone", pid)
		}
		_ = syscall.Kill(pid, syscall.SIGKILL)
		wait()
		w.assertClean(t, "after aws-vault was killed")
	})

	t.Run("Ctrl-C for a child that ignores it", func(t *testing.T) {
		// A terminal's Ctrl-C is SIGINT to its foreground process group:
		// aws-vault and its child. The child ignores it and goes on, and
		// so must the endpoint: the proxy is not in that group.
		cmd, pid, wait := w.startLongChildWith(t, `trap "" INT; `)
		if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		time.Sleep(300 * time.Millisecond)
		if s, body := metadataGet(t, "/latest/meta-data/instance-id/"); s != 200 || body != "aws-vault" {
			t.Errorf("after Ctrl-C, the endpoint answers %d %q", s, body)
		}
		if !w.aliasPresent() {
			t.Error("after Ctrl-C, the alias is gone while the child runs")
		}
		_ = syscall.Kill(pid, syscall.SIGKILL)
		if status, stderr := wait(); status != 128+int(syscall.SIGKILL) {
			t.Errorf("status %d, want %d; stderr %q", status, 128+int(syscall.SIGKILL), stderr)
		}
		w.assertClean(t, "after Ctrl-C and the child's end")
	})

	t.Run("SIGTERM to the proxy", func(t *testing.T) {
		// The proxy stops by itself and takes the alias off; aws-vault
		// and its child go on, and aws-vault ends normally with it.
		_, pid, wait := w.startLongChild(t)
		if w.proxyPID == 0 {
			t.Fatal("no proxy to signal")
		}
		if err := syscall.Kill(w.proxyPID, syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(bound)
		for w.aliasPresent() && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if w.aliasPresent() {
			t.Errorf("%s after SIGTERM to the proxy, the alias is still there", bound)
		}
		_ = syscall.Kill(pid, syscall.SIGKILL)
		if status, stderr := wait(); status != 128+int(syscall.SIGKILL) {
			t.Errorf("status %d, want %d; stderr %q", status, 128+int(syscall.SIGKILL), stderr)
		}
		w.assertClean(t, "after SIGTERM to the proxy")
	})

	t.Run("127.0.0.1:9099 taken", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:9099")
		if err != nil {
			t.Fatal(err)
		}
		w.assertRefused(t, "127.0.0.1:9099")
		ln.Close()
		w.assertClean(t, "after the refusal")
	})

	t.Run("169.254.169.254:80 answering", func(t *testing.T) {
		nsRun(t, ip, "addr", "add", metadataIP+"/32", "dev", "lo")
		ln, err := net.Listen("tcp", metadataIP+":80")
		if err != nil {
			exec.Command(ip, "addr", "del", metadataIP+"/32", "dev", "lo").Run()
			t.Fatal(err)
		}
		w.assertRefused(t, metadataIP+":80")
		ln.Close()
		nsRun(t, ip, "addr", "del", metadataIP+"/32", "dev", "lo")
		w.assertClean(t, "after the refusal")
	})
}

// ipPath is iproute2's ip.
func ipPath() string {
	for _, p := range []string{"/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return "ip"
}

// nsRun runs a short command in the namespace, bounded.
func nsRun(t *testing.T, argv ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, argv[0], argv[1:]...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(argv, " "), err, out)
	}
}

func newEC2World(t *testing.T, bin, ns string, uid int) *ec2World {
	t.Helper()
	if bin == "" {
		t.Fatal(ec2BinEnv + " is not set")
	}
	dir := t.TempDir()
	if uid != 0 {
		// The user must reach the binary, its home and the emulator's
		// CA: a directory of its own, not under the test's 0700 ones.
		dir = os.Getenv(ec2UserDirEnv)
		if dir == "" {
			t.Fatal(ec2UserDirEnv + " is not set")
		}
		bin = copyExecutable(t, bin, filepath.Join(dir, "bin", "aws-vault"))
	}
	aws := vaulttest.Fixture()
	proxy, err := aws.StartProxy(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { proxy.Close() })
	home := filepath.Join(dir, "home")
	w := &ec2World{t: t, dir: dir, bin: bin, ns: ns, uid: uid, aws: aws}
	w.env = append([]string{
		// aws-vault found through PATH, as a user runs it: its proxy must
		// still be started by absolute path (sudo's secure_path does not
		// hold this directory).
		"PATH=" + filepath.Dir(bin) + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		"HOME=" + home,
		"AWS_CONFIG_FILE=" + filepath.Join(home, ".aws", "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, ".aws", "credentials"),
		"AWS_VAULT_BACKEND=file", "AWS_VAULT_FILE_DIR=" + filepath.Join(home, ".awsvault", "keys"),
		"AWS_VAULT_FILE_PASSPHRASE=test-passphrase",
		"DBUS_SESSION_BUS_ADDRESS=unix:path=" + filepath.Join(dir, "no-bus"),
		"NO_PROXY=", "AWS_PAGER=", "LANG=C.UTF-8",
		// The clients' own defaults (IMDSv2 first, then v1) with a longer
		// wait than their 1 s, which a loaded machine can miss.
		"AWS_METADATA_SERVICE_TIMEOUT=10",
	}, proxy.Env()...)
	config := "[default]\nregion = us-east-1\n\n[profile plain]\nregion = us-east-1\n\n" +
		"[profile " + ec2Profile + "]\nsource_profile = plain\nrole_arn = " + vaulttest.ReadOnlyRoleARN +
		"\nrole_session_name = ec2-session\nregion = us-east-1\n"
	if err := os.MkdirAll(filepath.Join(home, ".aws"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".aws", "config"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	if uid != 0 {
		for _, p := range []string{home, filepath.Join(home, ".aws"), filepath.Join(home, ".aws", "config")} {
			if err := os.Chown(p, uid, uid); err != nil {
				t.Fatal(err)
			}
		}
	}
	status, _, stderr := w.vault(t, []string{"AWS_ACCESS_KEY_ID=" + vaulttest.BobAccessKeyID,
		"AWS_SECRET_ACCESS_KEY=" + vaulttest.BobSecretAccessKey}, "add", "--env", "plain")
	if status != 0 {
		t.Fatalf("aws-vault add: status %d: %s", status, stderr)
	}
	return w
}

// command is aws-vault, run by name through PATH, with the world's
// environment and extra.
func (w *ec2World) command(ctx context.Context, extra []string, args ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	cmd := exec.CommandContext(ctx, "aws-vault", args...)
	cmd.Path = w.bin // what PATH finds; argv[0] stays "aws-vault"
	cmd.Env = append(append([]string{}, w.env...), extra...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 5 * time.Second
	// A session of its own: no run may reach the terminal of whoever
	// runs the tests (sudo would ask for a password there).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if w.uid != 0 {
		cmd.SysProcAttr.Credential = &syscall.Credential{Uid: uint32(w.uid), Gid: uint32(w.uid)}
	}
	return cmd, &stdout, &stderr
}

// scratch is a new directory aws-vault's child can write in.
func (w *ec2World) scratch(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp(w.dir, "scratch-")
	if err == nil {
		err = os.Chown(dir, w.uid, w.uid)
	}
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// copyExecutable copies the binary at from to to, mode 0755, in
// directories of mode 0755.
func copyExecutable(t *testing.T, from, to string) string {
	t.Helper()
	data, err := os.ReadFile(from)
	if err == nil {
		err = os.MkdirAll(filepath.Dir(to), 0o755)
	}
	if err == nil {
		err = os.WriteFile(to, data, 0o755)
	}
	if err != nil {
		t.Fatal(err)
	}
	return to
}

// vault runs aws-vault to completion, bounded: its status, stdout and
// stderr.
func (w *ec2World) vault(t *testing.T, extra []string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), ec2Bound)
	defer cancel()
	cmd, stdout, stderr := w.command(ctx, extra, args...)
	err := cmd.Run()
	if ctx.Err() != nil {
		w.killLeftovers()
		t.Fatalf("aws-vault %s: still running after %s; stdout %q, stderr %q", strings.Join(args, " "), ec2Bound, stdout, stderr)
	}
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) && !errors.Is(err, exec.ErrWaitDelay) {
		t.Fatalf("aws-vault %s: %v", strings.Join(args, " "), err)
	}
	if errors.Is(err, exec.ErrWaitDelay) {
		t.Errorf("aws-vault %s: its output stayed open after it exited (a process it started is still running)", strings.Join(args, " "))
	}
	return shellStatus(cmd.ProcessState), stdout.String(), stderr.String()
}

// clients runs the AWS CLI and boto3 under exec --ec2-server, with their
// defaults: each must get the role's identity from the metadata endpoint
// (and not from the environment), and call the emulator with the role's
// temporary key.
func (w *ec2World) clients(t *testing.T, extra []string) {
	t.Helper()
	w.aws.Reset()
	status, out, stderr := w.vault(t, extra, "exec", "--ec2-server", ec2Profile, "--",
		"/usr/bin/aws", "sts", "get-caller-identity", "--query", "Arn", "--output", "text")
	if status != 0 || out != ec2RoleArn+"\n" {
		t.Errorf("AWS CLI: status %d, stdout %q, stderr %q; want %s", status, out, stderr, ec2RoleArn)
	}
	status, out, stderr = w.vault(t, extra, "exec", "--ec2-server", ec2Profile, "--", "/usr/bin/aws", "configure", "list")
	if status != 0 || !strings.Contains(out, "iam-role") {
		t.Errorf("aws configure list: status %d, stderr %q: credentials not from the instance role:\n%s", status, stderr, out)
	}
	py := "import boto3\ns = boto3.Session()\nc = s.get_credentials()\n" +
		"print(c.method, s.client('sts').get_caller_identity()['Arn'])"
	status, out, stderr = w.vault(t, extra, "exec", "--ec2-server", ec2Profile, "--", "/usr/bin/python3", "-c", py)
	if status != 0 || out != "iam-role "+ec2RoleArn+"\n" {
		t.Errorf("boto3: status %d, stdout %q, stderr %q; want iam-role %s", status, out, stderr, ec2RoleArn)
	}
	calls := 0
	for _, r := range w.aws.Requests() {
		if r.Action != "GetCallerIdentity" {
			continue
		}
		calls++
		if !strings.HasPrefix(r.AccessKeyID, "ASIA") || r.Code != "OK" {
			t.Errorf("GetCallerIdentity signed with %s -> %s, want a temporary key -> OK", r.AccessKeyID, r.Code)
		}
	}
	if calls != 2 {
		t.Errorf("%d GetCallerIdentity calls reached the emulator, want 2", calls)
	}
	w.assertClean(t, "after the clients")
}

// startLongChild starts exec --ec2-server with a child that runs until
// killed, and returns once the child runs and the endpoint answers: the
// command, the child's pid, and a bounded wait for aws-vault's exit
// status and stderr.
func (w *ec2World) startLongChild(t *testing.T) (*exec.Cmd, int, func() (int, string)) {
	t.Helper()
	return w.startLongChildWith(t, "")
}

// startLongChildWith is startLongChild with a shell prelude in the child.
func (w *ec2World) startLongChildWith(t *testing.T, prelude string) (*exec.Cmd, int, func() (int, string)) {
	t.Helper()
	pidFile := filepath.Join(w.scratch(t), "child.pid")
	ctx, cancel := context.WithTimeout(context.Background(), ec2Bound)
	cmd, _, stderr := w.command(ctx, nil, "exec", "--ec2-server", ec2Profile, "--",
		"/bin/sh", "-c", prelude+`echo $$ > "$0.tmp" && mv "$0.tmp" "$0" && exec sleep 300`, pidFile)
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	wait := func() (int, string) {
		t.Helper()
		defer cancel()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-done
			w.killLeftovers()
			t.Fatalf("aws-vault still running 30s after its child should have ended; stderr %q", stderr)
		}
		return shellStatus(cmd.ProcessState), stderr.String()
	}
	var pid int
	deadline := time.Now().Add(ec2Bound)
	for {
		if b, err := os.ReadFile(pidFile); err == nil {
			pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
			break
		}
		select {
		case <-done:
			t.Fatalf("aws-vault exited before its child started: status %d, stderr %q", shellStatus(cmd.ProcessState), stderr)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-done
			w.killLeftovers()
			t.Fatalf("the child did not start within %s; stderr %q", ec2Bound, stderr)
		}
	}
	if s, body := metadataGet(t, "/latest/meta-data/instance-id/"); s != 200 || body != "aws-vault" {
		t.Errorf("while the child runs, the endpoint answers %d %q", s, body)
	}
	if !w.aliasPresent() {
		t.Error("while the child runs, 169.254.169.254 is not on an interface")
	}
	w.proxyPID = w.assertProxyProcess(t)
	return cmd, pid, wait
}

// assertProxyProcess checks that the proxy runs as root, by aws-vault's
// absolute path, and, for a user, under sudo.
func (w *ec2World) assertProxyProcess(t *testing.T) (proxyPID int) {
	t.Helper()
	var procs []string
	found := false
	for _, pid := range namespacePIDs(w.ns, os.Getpid()) {
		cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		args := strings.Split(strings.TrimRight(string(cmdline), "\x00"), "\x00")
		procs = append(procs, fmt.Sprintf("uid %d: %s", procUID(pid), strings.Join(args, " ")))
		if len(args) == 2 && args[0] == w.bin && args[1] == "proxy" && procUID(pid) == 0 {
			found, proxyPID = true, pid
			if ppid := procPPID(pid); w.uid != 0 && !strings.HasSuffix(procComm(ppid), "sudo") {
				t.Errorf("the proxy's parent is %q, not sudo", procComm(ppid))
			}
		}
	}
	if !found {
		t.Errorf("no process %q running as root; the namespace's processes:\n%s", w.bin+" proxy", strings.Join(procs, "\n"))
	}
	return proxyPID
}

// procStatus is the value of a field of /proc/PID/status.
func procStatus(pid int, field string) string {
	data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// procUID is a process's real uid (-1 if unknown).
func procUID(pid int) int {
	f := strings.Fields(procStatus(pid, "Uid"))
	if len(f) == 0 {
		return -1
	}
	uid, err := strconv.Atoi(f[0])
	if err != nil {
		return -1
	}
	return uid
}

func procPPID(pid int) int {
	ppid, _ := strconv.Atoi(procStatus(pid, "PPid"))
	return ppid
}

func procComm(pid int) string {
	comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	return strings.TrimSpace(string(comm))
}

// metadataGet is a token-less GET at 169.254.169.254, straight there.
func metadataGet(t *testing.T, path string) (int, string) {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	resp, err := client.Get("http://" + metadataIP + path)
	if err != nil {
		t.Errorf("GET %s: %v", path, err)
		return 0, ""
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	return resp.StatusCode, string(body)
}

// assertRefused runs exec --ec2-server with addr taken: one line naming
// addr, a non-zero status, no child started.
func (w *ec2World) assertRefused(t *testing.T, addr string) {
	t.Helper()
	started := filepath.Join(w.scratch(t), "started")
	status, out, stderr := w.vault(t, nil, "exec", "--ec2-server", ec2Profile, "--", "/usr/bin/touch", started)
	want := "aws-vault: error: exec: Another process is already bound to " + addr + "\n"
	if status == 0 || out != "" || stderr != want {
		t.Errorf("with %s taken: status %d, stdout %q, stderr %q; want a non-zero status and %q", addr, status, out, stderr, want)
	}
	if _, err := os.Stat(started); err == nil {
		t.Errorf("with %s taken, the child ran", addr)
	}
	if left := namespacePIDs(w.ns, os.Getpid()); len(left) > 0 {
		for _, pid := range left {
			t.Errorf("with %s taken, left running: %s", addr, describeProcess(pid))
		}
		w.killLeftovers()
	}
}

// assertStartFails runs exec --ec2-server where the proxy cannot start:
// a non-zero status, no child run, nothing left; wantStderr, if set, is
// the whole of stderr.
func (w *ec2World) assertStartFails(t *testing.T, extra []string, wantStderr string) {
	t.Helper()
	started := filepath.Join(w.scratch(t), "started")
	status, out, stderr := w.vault(t, extra, "exec", "--ec2-server", ec2Profile, "--", "/usr/bin/touch", started)
	if status == 0 || out != "" || (wantStderr != "" && stderr != wantStderr) {
		t.Errorf("status %d, stdout %q, stderr %q; want a non-zero status and %q", status, out, stderr, wantStderr)
	}
	if !strings.Contains(stderr, "aws-vault: error: exec: ") {
		t.Errorf("stderr %q has no aws-vault error", stderr)
	}
	t.Logf("stderr: %q", stderr)
	if _, err := os.Stat(started); err == nil {
		t.Error("the child ran")
	}
	w.assertClean(t, "after the failed start")
}

// aliasPresent reports whether 169.254.169.254 is on an interface of the
// namespace.
func (w *ec2World) aliasPresent() bool {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		w.t.Errorf("listing addresses: %v", err)
		return false
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.Equal(net.ParseIP(metadataIP)) {
			return true
		}
	}
	return false
}

// leftovers is what is left of an aws-vault run in the namespace: the
// alias, a listener on port 80 or 9099, a process other than this test,
// or (system-wide, as ps shows) a process of the aws-vault binary.
func (w *ec2World) leftovers() []string {
	var left []string
	if w.aliasPresent() {
		left = append(left, "the alias "+metadataIP+" on an interface")
	}
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		data, _ := os.ReadFile(f)
		for _, line := range strings.Split(string(data), "\n")[1:] {
			fields := strings.Fields(line)
			if len(fields) < 4 || fields[3] != "0A" { // LISTEN
				continue
			}
			_, portHex, _ := strings.Cut(fields[1], ":")
			if port, _ := strconv.ParseUint(portHex, 16, 16); port == 80 || port == 9099 {
				left = append(left, fmt.Sprintf("a listener on port %d (%s)", port, f))
			}
		}
	}
	for _, pid := range namespacePIDs(w.ns, os.Getpid()) {
		left = append(left, "process "+describeProcess(pid))
	}
	for _, p := range psMatching(w.bin) {
		left = append(left, "ps: "+p)
	}
	return left
}

// killLeftovers kills every process in the namespace but this one, and
// takes the alias off.
func (w *ec2World) killLeftovers() {
	for _, pid := range namespacePIDs(w.ns, os.Getpid()) {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	if w.aliasPresent() {
		_ = exec.Command(ipPath(), "addr", "del", metadataIP+"/24", "dev", "lo").Run()
		_ = exec.Command(ipPath(), "addr", "del", metadataIP+"/32", "dev", "lo").Run()
	}
}

// assertClean waits (bounded) until nothing of a run is left, and fails,
// cleaning up, when something stays.
func (w *ec2World) assertClean(t *testing.T, when string) {
	t.Helper()
	deadline := time.Now().Add(bound)
	for {
		left := w.leftovers()
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			w.killLeftovers()
			t.Errorf("%s, left behind after %s:\n%s", when, bound, strings.Join(left, "\n"))
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}
