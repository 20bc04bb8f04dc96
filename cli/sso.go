package cli

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"time"

	"github.com/awsvault/aws-vault/vault"
)

// ssoDeviceCodeVar makes sso-session profiles sign in with the device code
// flow, as legacy profiles and aws-vault v7 do.
const ssoDeviceCodeVar = "AWS_VAULT_SSO_DEVICE_CODE"

// ssoWaitNotice is how long a caller waits for another's SSO sign-in
// before saying so: a token refresh or a GetRoleCredentials under the
// same lock takes less, and is no sign-in to speak of.
const ssoWaitNotice = time.Second

// ssoOptions are the chain's SSO settings: who signs in (on the terminal's
// stderr, with the browser of login), whether the URL is printed
// (--stdout), the device code flow, the AWS CLI's token cache, and the
// start URL lock.
func ssoOptions(s *session, locker *vault.Locker, print bool) (vault.SSOOptions, error) {
	opts := vault.SSOOptions{User: ssoUser{s}, Print: print, Lock: ssoLock(s, locker)}
	switch v := s.Getenv(ssoDeviceCodeVar); v {
	case "1":
		opts.DeviceCode = true
	case "", "0":
	default:
		return opts, fmt.Errorf("%s=%q: use 1 (sign in with a device code) or 0", ssoDeviceCodeVar, v)
	}
	if home, err := s.HomeDir(); err == nil {
		opts.AWSCLICache = filepath.Join(home, ".aws", "sso", "cache")
	}
	return opts, nil
}

// ssoUser is the person signing in: instructions on stderr, in aws-vault
// v7's words for the device code flow, and the browser login uses
// (AWS_VAULT_BROWSER, else the system's).
type ssoUser struct{ s *session }

// SignIn implements vault.SSOUser. Only the browser and stderr get the
// URL: stdout stays the command's output (exec --json --stdout prints
// JSON only).
func (u ssoUser) SignIn(_ context.Context, in vault.SSOSignIn) error {
	w := u.s.Stderr
	browser := systemBrowser(u.s)
	browser.what = "SSO sign-in"
	switch {
	case in.UserCode == "": // authorization code: the browser or nothing
		if err := browser.open(in.URL); err != nil {
			return err
		}
		fmt.Fprintln(w, "Opening the SSO authorization page in your default browser (use Ctrl-C to abort)")
	case in.Browser:
		fmt.Fprintf(w, "Opening the SSO authorization page in your default browser (use Ctrl-C to abort)\n%s\n", in.URL)
		if err := browser.open(in.URL); err != nil {
			fmt.Fprintf(w, "aws-vault: note: %s\n", vault.ErrorText(err))
		}
	default:
		fmt.Fprintf(w, "Open the SSO authorization page in a browser (use Ctrl-C to abort)\n%s\nCode: %s\n", in.URL, in.UserCode)
	}
	return nil
}

// ssoLock takes the start URL's lock: a caller that finds another
// aws-vault signing in waits for it, saying so once on stderr (on a
// terminal the line counts down in place), as long as a sign-in may take
// or AWS_VAULT_LOCK_TIMEOUT if longer.
func ssoLock(s *session, locker *vault.Locker) func(ctx context.Context, startURL string) (func(), error) {
	return func(ctx context.Context, startURL string) (func(), error) {
		l := *locker
		l.Timeout = max(l.Timeout, vault.SSOSignInTimeout+time.Minute)
		l.Doing = "signing in to SSO at"
		n := &waitNotice{w: s.Stderr, terminal: s.StderrIsTerminal, limit: l.Timeout, delay: ssoWaitNotice, tick: time.Second,
			msg: fmt.Sprintf("waiting for SSO sign-in for %s in your browser (Ctrl-C to abort)", startURL)}
		l.Waiting = func(string, int) { n.begin() }
		unlock, err := l.Lock(ctx, "oidc:"+startURL, startURL)
		n.end()
		return unlock, err
	}
}

// waitNotice says that a caller is waiting, once it has waited
// ssoWaitNotice: one line, or on a terminal one line that counts down the
// time left, finished when the wait ends.
type waitNotice struct {
	w        io.Writer
	terminal bool
	msg      string
	limit    time.Duration
	// delay and tick are ssoWaitNotice and a second; tests shorten them.
	delay, tick time.Duration

	once sync.Once
	stop chan struct{}
	done chan struct{}
}

// begin starts the notice; the wait began now.
func (n *waitNotice) begin() {
	n.once.Do(func() {
		n.stop, n.done = make(chan struct{}), make(chan struct{})
		go n.run(time.Now().Add(n.limit))
	})
}

func (n *waitNotice) run(deadline time.Time) {
	defer close(n.done)
	select {
	case <-n.stop:
		return
	case <-time.After(n.delay):
	}
	if !n.terminal {
		fmt.Fprintln(n.w, n.msg)
		return
	}
	tick := time.NewTicker(n.tick)
	defer tick.Stop()
	for {
		left := time.Until(deadline).Round(time.Second)
		fmt.Fprintf(n.w, "\r%s, %s left\x1b[K", n.msg, max(left, 0))
		select {
		case <-n.stop:
			fmt.Fprintf(n.w, "\r%s\x1b[K\n", n.msg)
			return
		case <-tick.C:
		}
	}
}

// end stops the notice, if it began, once its line is finished.
func (n *waitNotice) end() {
	if n.stop == nil {
		return
	}
	close(n.stop)
	<-n.done
}
