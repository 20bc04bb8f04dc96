//go:build unix

package cli_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/awsvault/aws-vault/vault/keyring/keyringtest"
	"github.com/awsvault/aws-vault/vault/vaulttest"
)

// These tests drive the real aws-vault binary on a real terminal: a tmux
// pane (Debian's tmux; make deps installs it). tmux rather than a pty
// library because it is a terminal as users have one (line discipline,
// echo, window size, screen contents to inspect) and needs no new module.

// tmuxWorld is a built aws-vault, a fixture AWS behind its HTTPS proxy, a
// throwaway HOME, and a private tmux server.
type tmuxWorld struct {
	t      *testing.T
	dir    string
	bin    string
	socket string
	env    []string
}

// TestRealTerminalPrompts builds aws-vault once and runs the cases, each
// with its own AWS, HOME and tmux server.
func TestRealTerminalPrompts(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("tmux"); err != nil {
		if keyringtest.RequireReal() {
			t.Fatal("tmux is not installed, so the real-terminal prompt tests cannot run (make deps installs it)")
		}
		t.Skip("SKIPPED: tmux is not installed; the real-terminal prompt tests need it (apt-get install tmux)")
	}
	bin := buildAWSVault(t, t.TempDir())
	for name, test := range map[string]func(*testing.T, *tmuxWorld){
		"MFAPromptWithStdoutPiped": testMFAPromptWithStdoutPiped,
		"SecretPromptDoesNotEcho":  testSecretPromptDoesNotEcho,
		"MFAPromptInterrupted":     testMFAPromptInterrupted,
		"HelperReadsTheTerminal":   testHelperReadsTheTerminal,
		"HelperInterrupted":        testHelperInterrupted,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			test(t, newTmuxWorld(t, bin))
		})
	}
}

func newTmuxWorld(t *testing.T, bin string) *tmuxWorld {
	dir := t.TempDir()
	w := &tmuxWorld{t: t, dir: dir, bin: bin, socket: filepath.Join(dir, "tmux.sock")}
	proxy, err := vaulttest.Fixture().StartProxy(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { proxy.Close() })
	home := filepath.Join(dir, "home")
	if err := os.MkdirAll(filepath.Join(home, ".aws"), 0o700); err != nil {
		t.Fatal(err)
	}
	w.env = append([]string{
		"HOME=" + home, "AWS_CONFIG_FILE=" + filepath.Join(home, ".aws", "config"),
		"AWS_VAULT_BACKEND=file", "AWS_VAULT_FILE_DIR=" + filepath.Join(home, ".awsvault", "keys"),
		"AWS_VAULT_FILE_PASSPHRASE=test-passphrase", "NO_PROXY=", "TERM=xterm",
		// Only aws-vault's own directory: no dialog program can be found.
		"PATH=" + filepath.Dir(w.bin),
	}, proxy.Env()...)
	w.writeFile("home/.aws/config", "[default]\nregion = us-east-1\n\n[profile alice]\nmfa_serial = "+vaulttest.AliceMFASerial+"\n")
	t.Cleanup(func() { exec.Command("tmux", "-S", w.socket, "kill-server").Run() })
	return w
}

// buildAWSVault builds the product binary, main.go included (its signal
// handling is part of what is tested).
func buildAWSVault(t *testing.T, dir string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build aws-vault: %v", err)
	}
	bin := filepath.Join(dir, "bin", "aws-vault")
	out, err := exec.Command(goTool, "build", "-o", bin, "github.com/awsvault/aws-vault").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func (w *tmuxWorld) writeFile(name, content string) {
	if err := os.WriteFile(filepath.Join(w.dir, name), []byte(content), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

// run runs aws-vault directly (no terminal) with extra environment.
func (w *tmuxWorld) run(extraEnv []string, args ...string) string {
	cmd := exec.Command(w.bin, args...)
	cmd.Env = append(slices.Clone(w.env), extraEnv...)
	out, err := cmd.Output()
	if err != nil {
		w.t.Fatalf("aws-vault %s: %v", strings.Join(args, " "), err)
	}
	return string(out)
}

// start runs shell (a /bin/sh command line) in a new tmux pane, in the
// world's environment only, and keeps the pane after it exits.
func (w *tmuxWorld) start(shell string) {
	line := "cd " + w.dir + " && exec env -i " + strings.Join(quoteAll(w.env), " ") + " /bin/sh -c " + shellQuote(shell)
	w.tmux("-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", "200", "-y", "50", line,
		";", "set-option", "-t", "t", "remain-on-exit", "on")
}

func (w *tmuxWorld) tmux(args ...string) string {
	out, err := exec.Command("tmux", append([]string{"-S", w.socket}, args...)...).CombinedOutput()
	if err != nil {
		w.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// screen is what the pane shows, with what scrolled off the top (the
// "Pane is dead" line tmux adds can push a line off).
func (w *tmuxWorld) screen() string { return w.tmux("capture-pane", "-p", "-S", "-", "-t", "t") }

// waitFor waits until the screen shows text and returns the screen.
// capture-pane drops trailing spaces, so text's are ignored.
func (w *tmuxWorld) waitFor(text string) string {
	w.t.Helper()
	text = strings.TrimRight(text, " ")
	deadline := time.Now().Add(15 * time.Second)
	for {
		s := w.screen()
		if strings.Contains(s, text) {
			return s
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("the terminal never showed %q (pane dead, status: %s); it shows:\n%s", text,
				w.tmux("display-message", "-p", "-t", "t", "#{pane_dead} #{pane_dead_status} #{pane_dead_signal}"), s)
		}
		time.Sleep(30 * time.Millisecond)
	}
}

// waitExit waits for the pane's command to end. (tmux may report a pane
// dead before it has its exit status, so commands write their own.)
func (w *tmuxWorld) waitExit() {
	w.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for strings.TrimSpace(w.tmux("display-message", "-p", "-t", "t", "#{pane_dead}")) != "1" {
		if time.Now().After(deadline) {
			w.t.Fatalf("the command did not end; the terminal shows:\n%s", w.screen())
		}
		time.Sleep(30 * time.Millisecond)
	}
}

func (w *tmuxWorld) read(name string) string {
	data, err := os.ReadFile(filepath.Join(w.dir, name))
	if err != nil {
		w.t.Fatal(err)
	}
	return string(data)
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = shellQuote(s)
	}
	return out
}

// The MFA prompt is answered on the terminal while stdout is piped into
// another program, which receives the credential JSON and nothing else.
func testMFAPromptWithStdoutPiped(t *testing.T, w *tmuxWorld) {
	w.run([]string{"AWS_ACCESS_KEY_ID=" + vaulttest.AliceAccessKeyID, "AWS_SECRET_ACCESS_KEY=" + vaulttest.AliceSecretAccessKey},
		"add", "--env", "alice")
	w.start("(" + w.bin + " export --format=json alice 2>stderr.txt; echo $? > rc) | /bin/cat > out.json")
	w.waitFor("Enter MFA code for " + vaulttest.AliceMFASerial + ": ")
	w.tmux("send-keys", "-t", "t", "-l", vaulttest.TOTP(vaulttest.AliceTOTPSecret, time.Now()))
	w.tmux("send-keys", "-t", "t", "Enter")
	w.waitExit()
	if rc := w.read("rc"); rc != "0\n" {
		t.Fatalf("exit status %s; stderr %q; terminal:\n%s", rc, w.read("stderr.txt"), w.screen())
	}
	checkCredentialJSON(t, w.read("out.json"))
	if s := w.read("stderr.txt"); s != "" {
		t.Errorf("stderr: %q", s)
	}
	if s := w.screen(); strings.Contains(s, "Enter MFA code") {
		t.Errorf("the prompt was not erased after use:\n%s", s)
	}
}

// checkCredentialJSON asserts out is one JSON object with exactly the
// credential fields, and nothing before or after it.
func checkCredentialJSON(t *testing.T, out string) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	var creds map[string]any
	if err := dec.Decode(&creds); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%q", err, out)
	}
	if rest := out[dec.InputOffset():]; rest != "\n" {
		t.Errorf("stdout has %q after the JSON, want one newline", rest)
	}
	var keys []string
	for k := range creds {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if want := []string{"AccessKeyId", "Expiration", "SecretAccessKey", "SessionToken", "Version"}; !slices.Equal(keys, want) {
		t.Errorf("JSON fields %v, want %v", keys, want)
	}
	if id, _ := creds["AccessKeyId"].(string); !strings.HasPrefix(id, "ASIA") {
		t.Errorf("AccessKeyId %q is not a session key", id)
	}
}

// add reads the secret key without echo: it never appears on the screen.
func testSecretPromptDoesNotEcho(t *testing.T, w *tmuxWorld) {
	w.start(w.bin + " add carol; echo $? > rc")
	w.waitFor("Enter Access Key ID: ")
	w.tmux("send-keys", "-t", "t", "-l", vaulttest.CarolAccessKeyID)
	w.tmux("send-keys", "-t", "t", "Enter")
	w.waitFor("Enter Secret Access Key: ")
	w.tmux("send-keys", "-t", "t", "-l", vaulttest.CarolSecretAccessKey)
	w.tmux("send-keys", "-t", "t", "Enter")
	w.waitExit()
	if rc := w.read("rc"); rc != "0\n" {
		t.Fatalf("exit status %s; terminal:\n%s", rc, w.screen())
	}
	screen := w.screen()
	if !strings.Contains(screen, `Added credentials to profile "carol" in vault`) || !strings.Contains(screen, vaulttest.CarolAccessKeyID) {
		t.Errorf("terminal:\n%s", screen)
	}
	if strings.Contains(screen, vaulttest.CarolSecretAccessKey) {
		t.Errorf("the secret key was echoed:\n%s", screen)
	}
	ini := w.run(nil, "export", "--no-session", "--format=ini", "carol")
	if !strings.Contains(ini, "aws_secret_access_key="+vaulttest.CarolSecretAccessKey+"\n") {
		t.Errorf("stored key not as typed:\n%s", ini)
	}
}

// Ctrl-C at the MFA prompt ends aws-vault at once (the root context catches
// SIGINT, so a plain blocking read would hang), with nothing on stdout.
func testMFAPromptInterrupted(t *testing.T, w *tmuxWorld) {
	w.run([]string{"AWS_ACCESS_KEY_ID=" + vaulttest.AliceAccessKeyID, "AWS_SECRET_ACCESS_KEY=" + vaulttest.AliceSecretAccessKey},
		"add", "--env", "alice")
	w.start(w.bin + " export --format=json alice 2>stderr.txt | /bin/cat > out.json")
	w.waitFor("Enter MFA code for ")
	w.tmux("send-keys", "-t", "t", "C-c")
	// The shell dies at once; aws-vault's message shows it ended too.
	want := "aws-vault: error: export: interrupted\n"
	deadline := time.Now().Add(5 * time.Second)
	for w.read("stderr.txt") != want {
		if time.Now().After(deadline) {
			t.Fatalf("stderr %q, want %q", w.read("stderr.txt"), want)
		}
		time.Sleep(30 * time.Millisecond)
	}
	w.waitExit()
	if out := w.read("out.json"); out != "" {
		t.Errorf("stdout: %q", out)
	}
}

// ttyHelper is a credential_process that asks on the terminal itself
// (/dev/tty) while its stdin is not the terminal, as a helper that runs
// another aws-vault or a password prompt does.
const ttyHelper = `#!/bin/sh
printf 'Say ok: ' >/dev/tty
read answer </dev/tty
[ "$answer" = ok ] || exit 3
printf '{"Version":1,"AccessKeyId":"ASIATTYHELPER0000001","SecretAccessKey":"ttyHelperSecret","SessionToken":"ttyHelperToken","Expiration":"2100-01-01T00:00:00Z"}'
`

// startTTYHelper runs export for a profile whose credential_process is
// ttyHelper, with aws-vault's stdin not the terminal (so it runs the
// helper in a process group of its own), and waits for the helper's
// question. Then the shell reads the terminal too, which it can only if
// aws-vault took the foreground back.
func (w *tmuxWorld) startTTYHelper() {
	w.writeFile("tty-helper", ttyHelper)
	if err := os.Chmod(filepath.Join(w.dir, "tty-helper"), 0o700); err != nil {
		w.t.Fatal(err)
	}
	config := w.read("home/.aws/config") + "\n[profile tty]\ncredential_process = " + filepath.Join(w.dir, "tty-helper") + "\n"
	w.writeFile("home/.aws/config", config)
	w.start("AWS_VAULT_PROCESS_TIMEOUT=10s " + w.bin + " export --format=json tty </dev/null >out.json 2>stderr.txt; echo $? > rc; " +
		"printf 'Again: '; read again </dev/tty; echo \"$again\" > again")
	w.waitFor("Say ok: ")
}

// A helper that reads the terminal can: aws-vault gives its process group
// the terminal's foreground while it runs (in a background group, its
// read would stop it with SIGTTIN until the timeout), and takes it back.
func testHelperReadsTheTerminal(t *testing.T, w *tmuxWorld) {
	w.startTTYHelper()
	w.tmux("send-keys", "-t", "t", "-l", "ok")
	w.tmux("send-keys", "-t", "t", "Enter")
	w.waitFor("Again: ")
	w.tmux("send-keys", "-t", "t", "-l", "yes")
	w.tmux("send-keys", "-t", "t", "Enter")
	w.waitExit()
	if rc := w.read("rc"); rc != "0\n" {
		t.Fatalf("exit status %s; stderr %q; terminal:\n%s", rc, w.read("stderr.txt"), w.screen())
	}
	if again := w.read("again"); again != "yes\n" {
		t.Errorf("the shell read %q from the terminal after aws-vault, want \"yes\": the foreground was not given back", again)
	}
	if out := w.read("out.json"); !strings.Contains(out, `"AccessKeyId": "ASIATTYHELPER0000001"`) {
		t.Errorf("stdout: %q", out)
	}
	if s := w.read("stderr.txt"); s != "" {
		t.Errorf("stderr: %q", s)
	}
}

// Ctrl-C at the helper's question, which only the helper's group gets
// while it has the terminal, ends aws-vault as an interrupt.
func testHelperInterrupted(t *testing.T, w *tmuxWorld) {
	w.startTTYHelper()
	w.tmux("send-keys", "-t", "t", "C-c")
	w.waitFor("Again: ")
	w.tmux("send-keys", "-t", "t", "Enter")
	w.waitExit()
	if rc, stderr := w.read("rc"), w.read("stderr.txt"); rc != "130\n" || stderr != "aws-vault: error: export: interrupted\n" {
		t.Errorf("exit status %s, stderr %q; want 130, the interrupt", rc, stderr)
	}
	if out := w.read("out.json"); out != "" {
		t.Errorf("stdout: %q", out)
	}
}
