package cli

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"github.com/skratchdot/open-golang/open"
)

// browserGrace is how long a browser program may take to fail before
// login trusts it: browsers that stay running are left running.
const browserGrace = time.Second

// browserOpener opens the sign-in URL: with the program AWS_VAULT_BROWSER
// names (so users can pick a browser, a browser profile or a container
// through a small script), else with the system's default browser.
type browserOpener struct {
	// program is AWS_VAULT_BROWSER; "" for the system's default browser.
	program string
	// openDefault opens a URL with the system's opener (xdg-open, open,
	// the Windows URL handler).
	openDefault func(url string) error
	// startProgram runs program with the URL as its only argument.
	startProgram func(program, url string) error
	logf         func(format string, args ...any)
	// what opens the URL, for --debug: "login", "SSO sign-in".
	what string
}

// systemBrowser returns the opener of the running system.
func systemBrowser(s *session) browserOpener {
	return browserOpener{
		program:      s.Getenv("AWS_VAULT_BROWSER"),
		openDefault:  open.Start,
		startProgram: func(program, url string) error { return startBrowser(program, url, browserGrace) },
		logf:         s.log.Printf,
		what:         "login",
	}
}

// open opens url. Errors never contain it: it carries a live sign-in token.
func (b browserOpener) open(url string) error {
	if b.program != "" {
		b.logf("%s: opening the sign-in URL with AWS_VAULT_BROWSER program %q", b.what, b.program)
		if err := b.startProgram(b.program, url); err != nil {
			return fmt.Errorf("the AWS_VAULT_BROWSER program %q could not open the sign-in URL (%s); use --stdout to print the URL",
				b.program, safeReason(err, url))
		}
		return nil
	}
	b.logf("%s: opening the sign-in URL with the default browser", b.what)
	if err := b.openDefault(url); err != nil {
		return fmt.Errorf("no browser could be opened (%s); set AWS_VAULT_BROWSER to a browser program, or use --stdout to print the sign-in URL",
			safeReason(err, url))
	}
	return nil
}

// safeReason is err's text unless it quotes the URL.
func safeReason(err error, url string) string {
	msg := err.Error()
	if strings.Contains(msg, url) || strings.Contains(msg, "SigninToken") {
		return "the error message quoted the URL and is not shown"
	}
	return msg
}

// startBrowser starts program with url and waits up to grace for it: a
// program that fails at once is reported, one still running is left to
// run after aws-vault exits.
func startBrowser(program, url string, grace time.Duration) error {
	cmd := exec.Command(program, url)
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case err := <-done:
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return fmt.Errorf("it exited with status %d", exitErr.ExitCode())
		}
		return err
	case <-timer.C:
		return nil
	}
}
