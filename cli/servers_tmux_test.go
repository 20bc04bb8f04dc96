//go:build unix

package cli_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awsvault/aws-vault/vault/keyring/keyringtest"
	"github.com/awsvault/aws-vault/vault/vaulttest"
)

// The terminal MFA prompt in server mode (aws-vault v7.2.0 refuses to
// start a server with it): exec --lazy --ecs-server for an MFA profile on
// a real terminal asks for the code when the first request comes, while
// the command runs, and again when the session is refreshed (a 15-minute
// session with AWS_MIN_TTL=14m57s); the client gets new credentials after
// the refresh and the command's exit status is aws-vault's.
func TestECSServerTerminalMFA(t *testing.T) {
	t.Parallel()
	for _, program := range []string{"tmux", "/usr/bin/curl"} {
		if _, err := exec.LookPath(program); err != nil {
			if keyringtest.RequireReal() {
				t.Fatalf("%s is not installed (make deps installs it)", program)
			}
			t.Skipf("SKIPPED: %s is not installed", program)
		}
	}
	w := newTmuxWorld(t, buildAWSVault(t, t.TempDir()))
	w.run([]string{"AWS_ACCESS_KEY_ID=" + vaulttest.AliceAccessKeyID, "AWS_SECRET_ACCESS_KEY=" + vaulttest.AliceSecretAccessKey},
		"add", "--env", "alice")
	get := `/usr/bin/curl -s -H "Authorization: $AWS_CONTAINER_AUTHORIZATION_TOKEN" "$AWS_CONTAINER_CREDENTIALS_FULL_URI"`
	child := get + " > one.json; /bin/sleep 4; " + get + " > two.json; exit 5"
	w.start("AWS_MIN_TTL=14m57s " + w.bin + " exec --lazy --duration 15m --ecs-server alice -- /bin/sh -c '" + child + "'; echo $? > rc")
	prompt := "Enter MFA code for " + vaulttest.AliceMFASerial + ": "
	w.waitFor(prompt)
	w.tmux("send-keys", "-t", "t", "-l", vaulttest.TOTP(vaulttest.AliceTOTPSecret, time.Now()))
	w.tmux("send-keys", "-t", "t", "Enter")
	// The first answer arrives; the prompt was erased after use. The
	// refresh asks again, after waiting, if need be, for a code it has not
	// used yet.
	deadline := time.Now().Add(15 * time.Second)
	for !w.exists("one.json") || w.read("one.json") == "" || strings.Contains(w.screen(), "Enter MFA code") {
		if time.Now().After(deadline) {
			t.Fatalf("no answer after the MFA code; the terminal shows:\n%s", w.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
	w.waitForLong(strings.TrimSpace(prompt), 45*time.Second)
	w.tmux("send-keys", "-t", "t", "-l", vaulttest.TOTP(vaulttest.AliceTOTPSecret, time.Now()))
	w.tmux("send-keys", "-t", "t", "Enter")
	w.waitExit()
	if rc := w.read("rc"); rc != "5\n" {
		t.Fatalf("exit status %q, want the command's 5; terminal:\n%s", rc, w.screen())
	}
	var one, two struct {
		AccessKeyID string `json:"AccessKeyId"`
	}
	if err := json.Unmarshal([]byte(w.read("one.json")), &one); err != nil || !strings.HasPrefix(one.AccessKeyID, "ASIA") {
		t.Fatalf("first answer %q (%v)", w.read("one.json"), err)
	}
	if err := json.Unmarshal([]byte(w.read("two.json")), &two); err != nil || !strings.HasPrefix(two.AccessKeyID, "ASIA") {
		t.Fatalf("second answer %q (%v)", w.read("two.json"), err)
	}
	if one.AccessKeyID == two.AccessKeyID {
		t.Errorf("the second answer, after the refresh point, has the first key %s", one.AccessKeyID)
	}
}

func (w *tmuxWorld) exists(name string) bool {
	_, err := os.Stat(filepath.Join(w.dir, name))
	return err == nil
}

// waitForLong is waitFor with a longer limit, for text that shows after a
// new 30-second MFA step begins.
func (w *tmuxWorld) waitForLong(text string, limit time.Duration) {
	w.t.Helper()
	deadline := time.Now().Add(limit)
	for !strings.Contains(w.screen(), text) {
		if time.Now().After(deadline) {
			w.t.Fatalf("the terminal never showed %q; it shows:\n%s", text, w.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// An interactive subshell of exec --ecs-server takes the terminal's
// foreground for its own process group, as job control does. An MFA prompt
// that aws-vault then needs (here --lazy's first fetch) cannot be read:
// reading the terminal from the background would stop aws-vault (SIGTTIN)
// and with it the server, so every client would hang. It fails at once
// instead, naming what would work, and the subshell and aws-vault go on.
func TestECSServerPromptWhileTheSubshellHasTheTerminal(t *testing.T) {
	t.Parallel()
	for _, program := range []string{"tmux", "/usr/bin/curl", "/bin/bash"} {
		if _, err := exec.LookPath(program); err != nil {
			if keyringtest.RequireReal() {
				t.Fatalf("%s is not installed (make deps installs it)", program)
			}
			t.Skipf("SKIPPED: %s is not installed", program)
		}
	}
	w := newTmuxWorld(t, buildAWSVault(t, t.TempDir()))
	w.run([]string{"AWS_ACCESS_KEY_ID=" + vaulttest.AliceAccessKeyID, "AWS_SECRET_ACCESS_KEY=" + vaulttest.AliceSecretAccessKey},
		"add", "--env", "alice")
	// set -m: the pane's shell runs aws-vault as a job of its own, as an
	// interactive shell does, so a stopped aws-vault would stay stopped.
	w.start("set -m; SHELL=/bin/bash " + w.bin + " exec --lazy --ecs-server alice; echo $? > rc")
	w.waitFor("Starting subshell /bin/bash")
	get := `/usr/bin/curl -s -m 10 -H "Authorization: $AWS_CONTAINER_AUTHORIZATION_TOKEN" "$AWS_CONTAINER_CREDENTIALS_FULL_URI" > out.json; echo "curl" "finished"`
	start := time.Now()
	w.tmux("send-keys", "-t", "t", "-l", get)
	w.tmux("send-keys", "-t", "t", "Enter")
	w.waitFor("curl finished")
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the request took %s", took.Round(time.Millisecond))
	}
	body := w.read("out.json")
	if !strings.Contains(body, "needs an MFA code for "+vaulttest.AliceMFASerial) || !strings.Contains(body, "mfa_process") {
		t.Errorf("the answer %q does not say the MFA code cannot be asked for here and what to do; terminal:\n%s", body, w.screen())
	}
	if strings.Contains(w.screen(), "Enter MFA code") {
		t.Errorf("aws-vault prompted from the background; terminal:\n%s", w.screen())
	}
	w.tmux("send-keys", "-t", "t", "-l", "exit 4")
	w.tmux("send-keys", "-t", "t", "Enter")
	w.waitExit()
	if rc := w.read("rc"); rc != "4\n" {
		t.Fatalf("exit status %q, want the subshell's 4; terminal:\n%s", rc, w.screen())
	}
}

// Ctrl-C at the terminal is SIGINT to its foreground process group: the
// command exec --ecs-server runs is in aws-vault's group and gets it from
// the terminal. aws-vault must not send it a second one: a program that
// takes a second Ctrl-C as "stop now" (terraform: "Two interrupts
// received. Exiting immediately") would be killed mid-work by one.
func TestECSServerCtrlCReachesTheCommandOnce(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("tmux"); err != nil {
		if keyringtest.RequireReal() {
			t.Fatal("tmux is not installed (make deps installs it)")
		}
		t.Skip("SKIPPED: tmux is not installed")
	}
	w := newTmuxWorld(t, buildAWSVault(t, t.TempDir()))
	w.writeFile("home/.aws/config", "[default]\nregion = us-east-1\n\n[profile plain]\n")
	w.run([]string{"AWS_ACCESS_KEY_ID=" + vaulttest.BobAccessKeyID, "AWS_SECRET_ACCESS_KEY=" + vaulttest.BobSecretAccessKey},
		"add", "--env", "plain")
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	counter := filepath.Join(w.dir, "sigint-count")
	if err := os.Symlink(self, counter); err != nil {
		t.Fatal(err)
	}
	w.start("exec " + w.bin + " exec --ecs-server plain -- " + counter + " ready count stop")
	deadline := time.Now().Add(15 * time.Second)
	for !w.exists("ready") {
		if time.Now().After(deadline) {
			t.Fatalf("the command did not start; terminal:\n%s", w.screen())
		}
		time.Sleep(20 * time.Millisecond)
	}
	const presses = 5
	for range presses {
		w.tmux("send-keys", "-t", "t", "C-c")
		time.Sleep(200 * time.Millisecond)
	}
	w.writeFile("stop", "")
	w.waitExit()
	if got := w.read("count"); got != fmt.Sprint(presses) {
		t.Errorf("%d Ctrl-C reached the command as %s SIGINTs", presses, got)
	}
}
