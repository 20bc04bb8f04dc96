// Command avbench is make bench: it times aws-vault as users run it (a fresh
// process per call, file backend, the emulator as AWS through HTTPS_PROXY)
// and prints medians next to a floor program (Go start-up plus one decrypt),
// then counts STS calls and MFA prompts for 50 concurrent cold calls.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awsvault/aws-vault/vault"
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

[profile admin]
source_profile = alice
role_arn = arn:aws:iam::222222222222:role/Admin
mfa_serial = arn:aws:iam::111111111111:mfa/alice
role_session_name = bench
mfa_process = echo run >> "$HOME/mfa-runs"; cat "$HOME/code"
`

func main() {
	bin := flag.String("bin", "bin/aws-vault", "the aws-vault binary to time")
	floor := flag.String("floor", "", "the floor program (built from vault/vaulttest/cmd/floor)")
	runs := flag.Int("runs", 51, "runs per measurement")
	flag.Parse()
	if err := run(*bin, *floor, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "avbench:", err)
		os.Exit(1)
	}
}

// bench is one benchmark world: a HOME, its environment and the emulator.
type bench struct {
	bin  string
	home string
	env  []string
	aws  *vaulttest.AWS
}

func newBench(bin string) (*bench, func(), error) {
	home, err := os.MkdirTemp("", "avbench")
	if err != nil {
		return nil, nil, err
	}
	a := vaulttest.Fixture()
	proxy, err := a.StartProxy(home)
	if err != nil {
		return nil, nil, err
	}
	b := &bench{bin: bin, home: home, aws: a, env: []string{
		"HOME=" + home, "PATH=" + os.Getenv("PATH"), "HTTPS_PROXY=" + proxy.URL, "AWS_CA_BUNDLE=" + proxy.CAFile,
		"AWS_VAULT_BACKEND=file", "AWS_VAULT_FILE_PASSPHRASE=bench", "AWS_CONFIG_FILE=" + filepath.Join(home, "config"),
	}}
	cleanup := func() { proxy.Close(); os.RemoveAll(home) }
	if err := os.WriteFile(filepath.Join(home, "config"), []byte(benchConfig), 0o600); err != nil {
		return nil, cleanup, err
	}
	return b, cleanup, b.store(map[string]vaulttest.FixtureUser{"plain": fixtureUser("bob"), "alice": fixtureUser("alice")})
}

func fixtureUser(name string) vaulttest.FixtureUser {
	for _, u := range vaulttest.FixtureUsers() {
		if u.Name == name {
			return u
		}
	}
	panic(name)
}

func (b *bench) keyring() *vault.FileKeyring {
	return &vault.FileKeyring{Dir: filepath.Join(b.home, ".awsvault", "keys"),
		Passphrase: func() (string, error) { return "bench", nil }, Now: time.Now}
}

func (b *bench) store(keys map[string]vaulttest.FixtureUser) error {
	ck := &vault.CredentialKeyring{Keyring: b.keyring()}
	for profile, u := range keys {
		if err := ck.Set(profile, aws.Credentials{AccessKeyID: u.AccessKeyID, SecretAccessKey: u.SecretAccessKey}); err != nil {
			return err
		}
	}
	return nil
}

// cmd runs the binary once and returns how long it took.
func (b *bench) cmd(args ...string) (time.Duration, error) {
	c := exec.Command(b.bin, args...)
	c.Env = b.env
	start := time.Now()
	out, err := c.CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("%s: %v: %s", strings.Join(args, " "), err, out)
	}
	return time.Since(start), nil
}

// median times n runs of f.
func median(n int, f func() (time.Duration, error)) (time.Duration, error) {
	var ds []time.Duration
	for i := 0; i < n; i++ {
		d, err := f()
		if err != nil {
			return 0, err
		}
		ds = append(ds, d)
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[len(ds)/2], nil
}

// parallel runs n cold calls at once and waits for all.
func (b *bench) parallel(n int, args ...string) error {
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := b.cmd(args...); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}
