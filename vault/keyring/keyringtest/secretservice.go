//go:build linux

package keyringtest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus"
)

// busConfig is a session bus that starts no service on demand: nothing the
// tests do can spawn a process through D-Bus activation (a second
// gnome-keyring-daemon, gcr-prompter), so the harness owns every process
// (StartActivatingBus adds one service, a harmless script).
const busConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

// plaintextKeyring is gnome-keyring's file for a collection without a
// password: it unlocks without a prompt.
const plaintextKeyring = "[keyring]\ndisplay-name=%s\nctime=0\nmtime=0\nlock-on-idle=false\nlock-after=false\n"

// SecretServiceOptions configures StartSecretService.
type SecretServiceOptions struct {
	// Collections are created, password-less and unlocked, before the
	// test runs: the "existing unlocked collection" case.
	Collections []string
	// HangingPrompter makes every desktop prompt hang, like a prompt
	// nobody answers, instead of failing at once as it does on a machine
	// with no display.
	HangingPrompter bool
}

// SecretService is a running gnome-keyring-daemon on a private bus.
type SecretService struct {
	// Address is the bus's DBUS_SESSION_BUS_ADDRESS.
	Address string
	// Env is what a client needs: the bus address and the keyring
	// daemon's directories.
	Env []string
}

// StartSecretService starts a private session bus and gnome-keyring's
// Secret Service on it; both stop at cleanup.
func StartSecretService(t testing.TB, opts SecretServiceOptions) *SecretService {
	t.Helper()
	NeedPrograms(t, "secret-service", "dbus-daemon", "gnome-keyring-daemon")
	dir := ShortTempDir(t, "avss")
	data := filepath.Join(dir, "data")
	for _, sub := range []string{filepath.Join(dir, "run"), filepath.Join(data, "keyrings")} {
		if err := os.MkdirAll(sub, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range opts.Collections {
		file := filepath.Join(data, "keyrings", name+".keyring")
		if err := os.WriteFile(file, fmt.Appendf(nil, plaintextKeyring, name), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s := &SecretService{Address: startBus(t, dir)}
	s.Env = []string{
		"DBUS_SESSION_BUS_ADDRESS=" + s.Address,
		"XDG_DATA_HOME=" + data,
		"XDG_RUNTIME_DIR=" + filepath.Join(dir, "run"),
	}
	env := append(os.Environ(), s.Env...)
	env = append(env, "HOME="+dir, "DISPLAY=", "WAYLAND_DISPLAY=")
	if opts.HangingPrompter {
		env = append(env, "GNOME_KEYRING_TEST_PROMPTER="+startHangingPrompter(t, s))
	}
	daemon := exec.Command("gnome-keyring-daemon", "--foreground", "--components=secrets", "--unlock")
	daemon.Env = env
	daemon.Stdin = strings.NewReader("test-login-password")
	var stderr bytes.Buffer
	daemon.Stderr = &stderr
	t.Cleanup(func() { // after the daemon stopped (cleanups run last first)
		if t.Failed() && stderr.Len() > 0 {
			t.Logf("gnome-keyring-daemon's stderr:\n%s", stderr.Bytes())
		}
	})
	startDaemon(t, daemon)
	conn := s.Conn(t)
	waitForName(t, conn, "org.freedesktop.secrets")
	for _, name := range opts.Collections {
		unlockCollection(t, conn, name)
	}
	return s
}

// StartBus starts a private session bus with nothing on it, stopped at
// cleanup, and returns its address.
func StartBus(t testing.TB) string {
	t.Helper()
	NeedPrograms(t, "secret-service", "dbus-daemon")
	return startBus(t, ShortTempDir(t, "avbus"))
}

// StartActivatingBus starts a private session bus on which the Secret
// Service name is not owned but can be started by D-Bus activation: the
// activation runs a script that only creates the file marker (and takes no
// name, so the activation then fails). A test checks with it that a
// command starts no service.
func StartActivatingBus(t testing.TB, marker string) string {
	t.Helper()
	NeedPrograms(t, "secret-service", "dbus-daemon")
	dir := ShortTempDir(t, "avact")
	services := filepath.Join(dir, "services")
	if err := os.MkdirAll(services, 0o700); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "activated.sh")
	if err := os.WriteFile(script, fmt.Appendf(nil, "#!/bin/sh\n: > '%s'\n", marker), 0o700); err != nil {
		t.Fatal(err)
	}
	service := fmt.Sprintf("[D-BUS Service]\nName=org.freedesktop.secrets\nExec=%s\n", script)
	if err := os.WriteFile(filepath.Join(services, "org.freedesktop.secrets.service"), []byte(service), 0o600); err != nil {
		t.Fatal(err)
	}
	return startBusConfig(t, dir, strings.Replace(busConfig, "</busconfig>", "  <servicedir>"+services+"</servicedir>\n</busconfig>", 1))
}

// startBus starts a private session bus listening in dir.
func startBus(t testing.TB, dir string) string {
	t.Helper()
	return startBusConfig(t, dir, busConfig)
}

// startBusConfig starts a session bus with a configuration whose listen
// address is a %s, filled with a socket in dir.
func startBusConfig(t testing.TB, dir, conf string) string {
	t.Helper()
	config := filepath.Join(dir, "bus.conf")
	if err := os.WriteFile(config, fmt.Appendf(nil, conf, filepath.Join(dir, "bus")), 0o600); err != nil {
		t.Fatal(err)
	}
	bus := exec.Command("dbus-daemon", "--nofork", "--nopidfile", "--print-address=1", "--config-file="+config)
	out, err := bus.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	startDaemon(t, bus)
	addr, err := firstLine(out, 10*time.Second)
	if err != nil {
		Unavailable(t, "secret-service", "dbus-daemon did not start: "+err.Error())
	}
	return addr
}

// Conn is a new connection to the bus, closed at cleanup.
func (s *SecretService) Conn(t testing.TB) *dbus.Conn {
	t.Helper()
	conn, err := dbus.Dial(s.Address)
	if err == nil {
		err = conn.Auth(nil)
	}
	if err == nil {
		err = conn.Hello()
	}
	if err != nil {
		t.Fatalf("connecting to the test bus %s: %v", s.Address, err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func waitForName(t testing.TB, conn *dbus.Conn, name string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var owned bool
		err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, name).Store(&owned)
		if err == nil && owned {
			return
		}
		if time.Now().After(deadline) {
			Unavailable(t, "secret-service", fmt.Sprintf("gnome-keyring-daemon did not take %s within 10s (%v)", name, err))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// unlockCollection unlocks a password-less collection, which needs no
// prompt.
func unlockCollection(t testing.TB, conn *dbus.Conn, name string) {
	t.Helper()
	path := dbus.ObjectPath("/org/freedesktop/secrets/collection/" + name)
	var unlocked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	obj := conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets")
	if err := obj.Call("org.freedesktop.Secret.Service.Unlock", 0, []dbus.ObjectPath{path}).Store(&unlocked, &prompt); err != nil {
		t.Fatalf("unlocking collection %s: %v", name, err)
	}
	if prompt != "/" || len(unlocked) != 1 {
		t.Fatalf("unlocking collection %s wanted a prompt (%s) or failed: %v", name, prompt, unlocked)
	}
}

// LockCollection locks a collection, so that using it needs a prompt.
func (s *SecretService) LockCollection(t testing.TB, name string) {
	t.Helper()
	path := dbus.ObjectPath("/org/freedesktop/secrets/collection/" + name)
	var locked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	obj := s.Conn(t).Object("org.freedesktop.secrets", "/org/freedesktop/secrets")
	if err := obj.Call("org.freedesktop.Secret.Service.Lock", 0, []dbus.ObjectPath{path}).Store(&locked, &prompt); err != nil {
		t.Fatalf("locking collection %s: %v", name, err)
	}
}

// hangingPrompter stands in for the desktop's prompter (gnome-keyring asks
// it to show its dialogs) and never answers, until cleanup.
type hangingPrompter struct{ release chan struct{} }

// BeginPrompting is the prompter's first call; it blocks.
func (p hangingPrompter) BeginPrompting(callback dbus.ObjectPath) *dbus.Error {
	<-p.release
	return nil
}

func startHangingPrompter(t testing.TB, s *SecretService) string {
	t.Helper()
	const name = "org.awsvault.test.HangingPrompter"
	conn := s.Conn(t)
	p := hangingPrompter{release: make(chan struct{})}
	t.Cleanup(func() { close(p.release) })
	if err := conn.Export(p, "/org/gnome/keyring/Prompter", "org.gnome.keyring.internal.Prompter"); err != nil {
		t.Fatal(err)
	}
	if reply, err := conn.RequestName(name, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("owning %s on the test bus: %v %v", name, reply, err)
	}
	return name
}
