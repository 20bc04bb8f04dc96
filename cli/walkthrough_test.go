//go:build unix

package cli_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/awsvault/aws-vault/vault/keyring/keyringtest"
	"github.com/awsvault/aws-vault/vault/vaulttest"
)

// TestREADMEWalkthrough types the README's five-minute walk-through into
// bash on a real terminal (a tmux pane), as a user would, against the AWS
// emulator: the built aws-vault, Debian's AWS CLI, a throwaway HOME.
//
// The walk-through's code blocks are of two kinds. An ini block whose
// first line is "# ~/.aws/config" is added to the config file. A console
// block is a transcript: "$ command" lines are typed; the lines after one
// are what it prints, each of which must show, in order ("..." in a line
// stands for anything); the prompts "Enter Access Key ID: ID", "Enter
// Secret Access Key:" and "Enter MFA code for SERIAL: CODE" are answered
// when they show (the secret of that fixture key, the current code of that
// fixture device). Every command must end with status 0. A block right
// after a line "<!-- walkthrough: pending (why) -->" is skipped: a feature
// that has not landed yet.
func TestREADMEWalkthrough(t *testing.T) {
	t.Parallel()
	for _, program := range []string{"tmux", "bash", "/usr/bin/aws"} {
		if _, err := exec.LookPath(program); err != nil {
			if keyringtest.RequireReal() {
				t.Fatalf("%s is not installed, so the README walk-through cannot run (make deps installs it)", program)
			}
			t.Skipf("SKIPPED: %s is not installed; the README walk-through needs tmux, bash and awscli", program)
		}
	}
	blocks := walkthroughBlocks(t, "../README.md")
	w := newWalkthrough(t, buildAWSVault(t, t.TempDir()))
	for _, b := range blocks {
		switch {
		case b.pending != "":
			t.Logf("skipped (pending: %s):\n%s", b.pending, b.text)
		case b.lang == "ini":
			w.appendConfig(b.text)
		default:
			w.replay(b.text)
		}
	}
}

// readmeBlock is a fenced code block of the walk-through.
type readmeBlock struct {
	lang, text, pending string
}

var pendingMark = regexp.MustCompile(`^<!-- walkthrough: pending \((.+)\) -->$`)

// walkthroughBlocks returns the code blocks of the README's
// "## Five-minute walk-through" section.
func walkthroughBlocks(t *testing.T, path string) []readmeBlock {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(raw), "\n## Five-minute walk-through\n")
	if !ok {
		t.Fatal("README.md has no ## Five-minute walk-through section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var blocks []readmeBlock
	var cur *readmeBlock
	pending := ""
	for _, line := range strings.Split(section, "\n") {
		switch {
		case cur == nil && strings.HasPrefix(line, "```"):
			cur = &readmeBlock{lang: strings.TrimPrefix(line, "```"), pending: pending}
			pending = ""
		case cur != nil && line == "```":
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			cur.text += line + "\n"
		case pendingMark.MatchString(line):
			pending = pendingMark.FindStringSubmatch(line)[1]
		case strings.TrimSpace(line) != "":
			pending = "" // the mark applies to the block right after it
		}
	}
	for _, b := range blocks {
		if b.lang != "console" && !(b.lang == "ini" && strings.HasPrefix(b.text, "# ~/.aws/config\n")) {
			t.Errorf("walk-through block of type %q is neither a console transcript nor an ini block for ~/.aws/config:\n%s", b.lang, b.text)
		}
	}
	if len(blocks) == 0 {
		t.Fatal("the walk-through has no code blocks")
	}
	return blocks
}

// walkthrough is a bash on a tmux pane, with aws-vault and the AWS CLI on
// PATH and the emulator as AWS.
type walkthrough struct {
	*tmuxWorld
	home   string
	lastID string // the access key ID typed last
}

func newWalkthrough(t *testing.T, bin string) *walkthrough {
	dir := t.TempDir()
	w := &walkthrough{tmuxWorld: &tmuxWorld{t: t, dir: dir, bin: bin, socket: filepath.Join(dir, "tmux.sock")}}
	// Nobody is at a browser: the SSO step's device authorization is
	// approved as it starts, as by a user who follows the printed link.
	world := vaulttest.Fixture()
	world.SetSSOSettings(vaulttest.SSOSettings{AutoApprove: true})
	proxy, err := world.StartProxy(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { proxy.Close() })
	w.home = filepath.Join(dir, "home")
	if err := os.MkdirAll(filepath.Join(w.home, ".aws"), 0o700); err != nil {
		t.Fatal(err)
	}
	w.env = append([]string{
		"HOME=" + w.home, "AWS_VAULT_BACKEND=file", "AWS_VAULT_FILE_PASSPHRASE=walkthrough-passphrase",
		"NO_PROXY=", "TERM=xterm", "LANG=C.UTF-8", "SHELL=/bin/bash", "AWS_PAGER=", "PS1=[$?]$ ",
		// bash writes its history when tmux is killed at the end, racing
		// the removal of HOME.
		"HISTFILE=",
		"PATH=" + filepath.Dir(bin) + ":/usr/bin:/bin",
	}, proxy.Env()...)
	// The subshell exec starts is an interactive bash: it reads the system's
	// bashrc, then ours, which keeps the prompt the test looks for.
	if err := os.WriteFile(filepath.Join(w.home, ".bashrc"), []byte("PS1='[$?]$ '\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { exec.Command("tmux", "-S", w.socket, "kill-server").Run() })
	line := "cd " + w.home + " && exec env -i " + strings.Join(quoteAll(w.env), " ") + " /bin/bash --norc --noprofile +H"
	w.tmux("-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", "200", "-y", "50", line)
	w.waitFor("[0]$")
	return w
}

// appendConfig adds an ini block to ~/.aws/config, as a user edits it.
func (w *walkthrough) appendConfig(block string) {
	path := filepath.Join(w.home, ".aws", "config")
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		w.t.Fatal(err)
	}
	if len(old) > 0 {
		old = append(old, '\n')
	}
	_, body, _ := strings.Cut(block, "\n")
	if err := os.WriteFile(path, append(old, body...), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

var (
	promptLine = regexp.MustCompile(`^\[(\d+)\]\$ ?(.*)$`)
	keyIDAsk   = regexp.MustCompile(`^Enter Access Key ID: (\S+)$`)
	secretAsk  = regexp.MustCompile(`^Enter Secret Access Key:\s*$`)
	mfaAsk     = regexp.MustCompile(`^Enter MFA code for (\S+): \S*$`)
)

// replay types a console transcript's commands and checks what each prints.
func (w *walkthrough) replay(transcript string) {
	var cmd string
	var expect []string
	flush := func() {
		if cmd != "" {
			w.run(cmd, expect)
		}
		cmd, expect = "", nil
	}
	for _, line := range strings.Split(strings.TrimRight(transcript, "\n"), "\n") {
		if c, ok := strings.CutPrefix(line, "$ "); ok {
			flush()
			cmd = c
			continue
		}
		if cmd == "" {
			w.t.Fatalf("console block does not start with a $ command:\n%s", transcript)
		}
		expect = append(expect, line)
	}
	flush()
}

// run types one command, answers its prompts, waits for the shell's next
// prompt and checks the output between.
func (w *walkthrough) run(cmd string, expect []string) {
	w.t.Helper()
	w.clear()
	w.type_(cmd)
	var want []string
	for _, line := range expect {
		switch {
		case keyIDAsk.MatchString(line):
			w.lastID = keyIDAsk.FindStringSubmatch(line)[1]
			w.answer("Enter Access Key ID:", w.lastID)
		case secretAsk.MatchString(line):
			w.answer("Enter Secret Access Key:", fixtureSecret(w.t, w.lastID))
		case mfaAsk.MatchString(line):
			serial := mfaAsk.FindStringSubmatch(line)[1]
			w.answer("Enter MFA code for "+serial+":", vaulttest.TOTP(fixtureTOTPSecret(w.t, serial), time.Now()))
		default:
			want = append(want, line)
		}
	}
	status, out := w.output(cmd)
	if status != "0" {
		w.t.Fatalf("$ %s: exit status %s; the terminal shows:\n%s", cmd, status, strings.Join(out, "\n"))
	}
	if missing := firstMissing(want, out); missing != "" {
		w.t.Errorf("$ %s: the README says it prints %q, which is not in its output:\n%s", cmd, missing, strings.Join(out, "\n"))
	}
}

// clear clears the screen (bash's Ctrl-L) and the history, so that the
// pane shows the shell's prompt only.
func (w *walkthrough) clear() {
	w.t.Helper()
	w.tmux("send-keys", "-t", "t", "C-l")
	deadline := time.Now().Add(15 * time.Second)
	for {
		visible := strings.Fields(w.tmux("capture-pane", "-p", "-t", "t"))
		if len(visible) == 1 && promptLine.MatchString(visible[0]) {
			break
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("the screen did not clear; it shows:\n%s", strings.Join(visible, "\n"))
		}
		time.Sleep(30 * time.Millisecond)
	}
	w.tmux("clear-history", "-t", "t")
}

func (w *walkthrough) type_(text string) {
	w.tmux("send-keys", "-t", "t", "-l", text)
	w.tmux("send-keys", "-t", "t", "Enter")
}

// answer waits for a prompt of the command running and types the answer.
func (w *walkthrough) answer(prompt, text string) {
	w.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		lines := w.lines()
		if len(lines) > 0 && strings.HasPrefix(lines[len(lines)-1], prompt) {
			w.type_(text)
			return
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("the prompt %q never showed; the terminal shows:\n%s", prompt, strings.Join(lines, "\n"))
		}
		time.Sleep(30 * time.Millisecond)
	}
}

// output waits for the shell's prompt after the command line and returns
// the status it shows and the lines between.
func (w *walkthrough) output(cmd string) (string, []string) {
	w.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		lines := w.lines()
		start := -1
		for i, l := range lines {
			if m := promptLine.FindStringSubmatch(l); m != nil && start < 0 && m[2] == cmd {
				start = i
			} else if m != nil && start >= 0 && m[2] == "" {
				return m[1], lines[start+1 : i]
			}
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("$ %s did not end; the terminal shows:\n%s", cmd, strings.Join(lines, "\n"))
		}
		time.Sleep(30 * time.Millisecond)
	}
}

// lines is the pane's screen and history, wrapped lines joined, without
// the empty lines at the end.
func (w *walkthrough) lines() []string {
	lines := strings.Split(w.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "t"), "\n")
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " ")
	}
	return lines
}

// firstMissing returns the first of want that is not found in got, in
// order; "..." in a wanted line matches anything.
func firstMissing(want, got []string) string {
	i := 0
	for _, wl := range want {
		parts := strings.Split(wl, "...")
		for j := range parts {
			parts[j] = regexp.QuoteMeta(parts[j])
		}
		re := regexp.MustCompile("^" + strings.Join(parts, ".*") + "$")
		for i < len(got) && !re.MatchString(got[i]) {
			i++
		}
		if i == len(got) {
			return wl
		}
		i++
	}
	return ""
}

func fixtureSecret(t *testing.T, keyID string) string {
	for _, u := range vaulttest.FixtureUsers() {
		if u.AccessKeyID == keyID {
			return u.SecretAccessKey
		}
	}
	t.Fatalf("the README types the access key ID %s, which is not a fixture key", keyID)
	return ""
}

func fixtureTOTPSecret(t *testing.T, serial string) string {
	for _, u := range vaulttest.FixtureUsers() {
		if u.MFASerial == serial {
			return u.TOTPSecret
		}
	}
	t.Fatalf("the README answers an MFA prompt for %s, which is not a fixture device", serial)
	return ""
}
