package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/awsvault/aws-vault/vault/vaulttest"
)

// measurement is one line of the report.
type measurement struct {
	name   string
	median time.Duration
}

func run(bin, floor string, runs int) error {
	b, cleanup, err := newBench(bin)
	if cleanup != nil {
		defer cleanup()
	}
	if err != nil {
		return err
	}
	for _, warm := range [][]string{{"exec", "--json", "plain"}, {"exec", "--json", "role"}} {
		if _, err := b.cmd(warm...); err != nil {
			return err
		}
	}
	scenarios := []scenario{
		{"warm exec --json plain", b.bin, []string{"exec", "--json", "plain"}},
		{"warm exec --json role (no MFA)", b.bin, []string{"exec", "--json", "role"}},
		{"exec --json --no-session plain", b.bin, []string{"exec", "--json", "--no-session", "plain"}},
		{"exec plain -- true", b.bin, []string{"exec", "plain", "--", "true"}},
	}
	if floor != "" {
		item := filepath.Join(b.home, ".awsvault", "keys", "plain")
		scenarios = append(scenarios, scenario{"floor: Go start-up + one decrypt", floor, []string{item, "bench"}})
	}
	ms, err := interleaved(b, scenarios, runs)
	if err != nil {
		return err
	}
	listTime, err := benchList(bin, runs)
	if err != nil {
		return err
	}
	ms = append(ms, measurement{"list, 500 profiles / 500 keys", listTime})
	report(ms)
	return concurrency(bin)
}

func report(ms []measurement) {
	fmt.Println("aws-vault benchmark (fresh process per call, file backend, median)")
	byName := map[string]time.Duration{}
	for _, m := range ms {
		byName[m.name] = m.median
		fmt.Printf("  %-36s %8.1f ms\n", m.name, float64(m.median)/float64(time.Millisecond))
	}
	floor, noSession := byName["floor: Go start-up + one decrypt"], byName["exec --json --no-session plain"]
	for _, name := range []string{"warm exec --json plain", "warm exec --json role (no MFA)"} {
		if floor > 0 {
			fmt.Printf("  %-36s %.2fx floor, %.2fx --no-session (targets: <= 1.5x, <= 1.2x)\n", name,
				ratio(byName[name], floor), ratio(byName[name], noSession))
		}
	}
}

// scenario is one command line to time.
type scenario struct {
	name string
	prog string
	args []string
}

// interleaved runs the scenarios round-robin, runs times each, so that a
// slow moment of the machine weighs on all of them alike, and returns the
// median of each.
func interleaved(b *bench, scenarios []scenario, runs int) ([]measurement, error) {
	times := make([][]time.Duration, len(scenarios))
	for i := 0; i < runs; i++ {
		for j, sc := range scenarios {
			d, err := (&bench{bin: sc.prog, env: b.env}).cmd(sc.args...)
			if err != nil {
				return nil, err
			}
			times[j] = append(times[j], d)
		}
	}
	var ms []measurement
	for j, sc := range scenarios {
		sort.Slice(times[j], func(a, c int) bool { return times[j][a] < times[j][c] })
		ms = append(ms, measurement{sc.name, times[j][len(times[j])/2]})
	}
	return ms, nil
}

func ratio(a, b time.Duration) float64 { return float64(a) / float64(b) }

// benchList times list over 500 profiles and 500 stored keys.
func benchList(bin string, runs int) (time.Duration, error) {
	b, cleanup, err := newBench(bin)
	if cleanup != nil {
		defer cleanup()
	}
	if err != nil {
		return 0, err
	}
	var cfg strings.Builder
	keys := map[string]vaulttest.FixtureUser{}
	for i := 0; i < 500; i++ {
		fmt.Fprintf(&cfg, "[profile p%03d]\nregion = eu-west-1\n\n", i)
		keys[fmt.Sprintf("p%03d", i)] = fixtureUser("bob")
	}
	if err := os.WriteFile(filepath.Join(b.home, "config"), []byte(cfg.String()), 0o600); err != nil {
		return 0, err
	}
	if err := b.store(keys); err != nil {
		return 0, err
	}
	return median(runs, func() (time.Duration, error) { return b.cmd("list") })
}

// concurrency runs 50 cold exec --json for an MFA role at once and reports
// the STS calls and MFA prompts they made.
func concurrency(bin string) error {
	b, cleanup, err := newBench(bin)
	if cleanup != nil {
		defer cleanup()
	}
	if err != nil {
		return err
	}
	code := vaulttest.TOTP(vaulttest.AliceTOTPSecret, time.Now())
	if err := os.WriteFile(filepath.Join(b.home, "code"), []byte(code), 0o600); err != nil {
		return err
	}
	start := time.Now()
	if err := b.parallel(50, "exec", "--json", "admin"); err != nil {
		return err
	}
	runs, _ := os.ReadFile(filepath.Join(b.home, "mfa-runs"))
	fmt.Printf("50 concurrent cold exec --json admin (MFA role): %d GetSessionToken, %d AssumeRole, %d MFA prompts, %.0f ms in all (target: 1, 1, 1)\n",
		b.aws.Count("GetSessionToken"), b.aws.Count("AssumeRole"), strings.Count(string(runs), "run"), float64(time.Since(start))/float64(time.Millisecond))
	return nil
}
