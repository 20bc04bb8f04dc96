// Command avbench is make bench: it times aws-vault as users run it (a fresh
// process per call, file backend, the emulator as AWS through HTTPS_PROXY)
// next to aws-vault v7.2.0 built from the Go module proxy and a floor
// program (Go start-up plus one decrypt), loads the ECS credential server
// of each (exec --ecs-server) with ecsload, then counts STS calls and MFA
// prompts for 50 concurrent cold calls. Ours writes its issuance log on
// every call, as by default; one row times it with the log off, and one
// with the keyring unlocked (aws-vault unlock: an agent serves the items,
// no passphrase variable), in a world of its own whose agent is locked
// again at the end.
//
// Both binaries run each scenario interleaved in one run, each in a world
// of its own built the same way: the same HOME layout, config file and
// file-keyring items (v7.2.0 reads ours: same item format), its own
// emulator, and the same environment. DBUS_SESSION_BUS_ADDRESS points both
// at a unix socket that refuses connections: v7.2.0's keyring library
// probes the session bus at start-up and, with no address, launches a
// D-Bus daemon on every call, which is not what a desktop user pays.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/keyring"
	"github.com/awsvault/aws-vault/vault/vaulttest"
)

const benchConfig = `[default]
region = us-east-1

[profile plain]

[profile role]
source_profile = plain
role_arn = arn:aws:iam::222222222222:role/ReadOnly
role_session_name = bench

[profile alice]
mfa_serial = arn:aws:iam::111111111111:mfa/alice
mfa_process = echo run >> "$HOME/mfa-runs" && cat "$HOME/code"

[profile frankkey]

[profile mfarole]
source_profile = frankkey
role_arn = arn:aws:iam::222222222222:role/ReadOnly
mfa_serial = arn:aws:iam::111111111111:mfa/frank
role_session_name = bench
mfa_process = cat "$HOME/code-frank"

[profile admin]
source_profile = alice
role_arn = arn:aws:iam::222222222222:role/Admin
mfa_serial = arn:aws:iam::111111111111:mfa/alice
role_session_name = bench
mfa_process = echo run >> "$HOME/mfa-runs" && cat "$HOME/code"
`

func main() {
	bin := flag.String("bin", "bin/aws-vault", "the aws-vault binary to time")
	ref := flag.String("ref", "", "aws-vault v7.2.0, the reference (empty: time ours alone)")
	refSource := flag.String("ref-source", "", "where -ref was copied from, for the report")
	refNote := flag.String("ref-note", "", "why there is no reference, when -ref is empty")
	floor := flag.String("floor", "", "the floor program (built from vault/vaulttest/cmd/floor)")
	runs := flag.Int("runs", 51, "runs per measurement")
	keep := flag.String("keep", "", "build the worlds in this new directory and leave them there, to profile warm calls by hand")
	ecsload := flag.String("ecsload", "", "the ECS server load client (built from vault/vaulttest/cmd/ecsload; empty: no ECS server rows)")
	ecsRounds := flag.Int("ecs-rounds", 9, "rounds of the ECS server load per binary")
	flag.Parse()
	if err := run(benchFlags{bin: *bin, ref: *ref, refSource: *refSource, refNote: *refNote, floor: *floor, runs: *runs, keep: *keep,
		ecsload: *ecsload, ecsRounds: *ecsRounds}); err != nil {
		fmt.Fprintln(os.Stderr, "avbench:", err)
		os.Exit(1)
	}
}

// world is one benchmark world: a HOME, its environment and its emulator.
type world struct {
	bin  string
	home string
	env  []string
	aws  *vaulttest.AWS
}

// newWorld builds a world for bin under dir (which it creates) with the
// given config and stored keys. busAddr is the refusing D-Bus address.
func newWorld(bin, dir, busAddr, config string, keys map[string]vaulttest.FixtureUser) (*world, func(), error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, err
	}
	a := vaulttest.Fixture()
	proxy, err := a.StartProxy(dir)
	if err != nil {
		return nil, nil, err
	}
	// SSL_CERT_FILE as well as AWS_CA_BUNDLE: v7.2.0 builds its SDK
	// configuration by hand and so ignores AWS_CA_BUNDLE.
	w := &world{bin: bin, home: dir, aws: a, env: []string{
		"HOME=" + dir, "PATH=" + os.Getenv("PATH"), "HTTPS_PROXY=" + proxy.URL,
		"AWS_CA_BUNDLE=" + proxy.CAFile, "SSL_CERT_FILE=" + proxy.CAFile,
		"AWS_VAULT_BACKEND=file", "AWS_VAULT_FILE_PASSPHRASE=bench", "AWS_CONFIG_FILE=" + filepath.Join(dir, "config"),
		"DBUS_SESSION_BUS_ADDRESS=" + busAddr,
	}}
	cleanup := func() { _ = proxy.Close() }
	if err := os.WriteFile(filepath.Join(dir, "config"), []byte(config), 0o600); err != nil {
		return nil, cleanup, err
	}
	return w, cleanup, w.store(keys)
}

// benchKeys are the stored keys of the main worlds.
func benchKeys() map[string]vaulttest.FixtureUser {
	return map[string]vaulttest.FixtureUser{"plain": fixtureUser("bob"), "alice": fixtureUser("alice"),
		"frankkey": fixtureUser("frank")}
}

func fixtureUser(name string) vaulttest.FixtureUser {
	for _, u := range vaulttest.FixtureUsers() {
		if u.Name == name {
			return u
		}
	}
	panic(name)
}

func (w *world) keyring() *keyring.File {
	return &keyring.File{Dir: filepath.Join(w.home, ".awsvault", "keys"),
		Passphrase: func() (string, error) { return "bench", nil }, Now: time.Now}
}

func (w *world) store(keys map[string]vaulttest.FixtureUser) error {
	ck := &vault.Store{Keyring: w.keyring()}
	for profile, u := range keys {
		if err := ck.SetCredentials(profile, aws.Credentials{AccessKeyID: u.AccessKeyID, SecretAccessKey: u.SecretAccessKey}); err != nil {
			return err
		}
	}
	return nil
}

// cmd runs prog (the world's binary when "") once and returns how long it
// took.
func (w *world) cmd(prog string, args ...string) (time.Duration, error) {
	return w.cmdEnv(nil, prog, args...)
}

// cmdEnv is cmd with extra environment variables.
func (w *world) cmdEnv(extra []string, prog string, args ...string) (time.Duration, error) {
	if prog == "" {
		prog = w.bin
	}
	c := exec.Command(prog, args...)
	c.Env = append(slices.Clone(w.env), extra...)
	start := time.Now()
	out, err := c.CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("%s %s: %v: %s", filepath.Base(prog), strings.Join(args, " "), err, out)
	}
	return time.Since(start), nil
}

// prime makes the world warm: a cached session for plain, role, and the
// MFA roles mfarole (MFA sent with AssumeRole) and admin (chained MFA).
func (w *world) prime() error {
	now := time.Now()
	for name, secret := range map[string]string{"code": vaulttest.AliceTOTPSecret, "code-frank": vaulttest.FrankTOTPSecret} {
		code := vaulttest.TOTP(secret, now)
		if err := os.WriteFile(filepath.Join(w.home, name), []byte(code), 0o600); err != nil {
			return err
		}
	}
	for _, profile := range []string{"plain", "role", "mfarole", "admin"} {
		if _, err := w.cmd("", "exec", "--json", profile); err != nil {
			return err
		}
	}
	return nil
}

// awsCalls is the number of requests the world's emulator has seen.
func (w *world) awsCalls() int {
	return len(w.aws.Requests())
}

// refusingSocket leaves a unix socket file at path with nothing listening,
// so connecting to it fails at once with "connection refused".
func refusingSocket(path string) (string, error) {
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return "", err
	}
	ln.SetUnlinkOnClose(false)
	if err := ln.Close(); err != nil {
		return "", err
	}
	return "unix:path=" + path, nil
}
