package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/awsvault/aws-vault/vault/vaulttest"
)

// target is the warm-path goal: at most this fraction of v7.2.0's time.
const target = 0.90

// agentTarget is the goal of a warm call served by the agent (aws-vault
// unlock), against v7.2.0's warm call with the passphrase variable.
const agentTarget = 0.70

// report prints the medians, ours/v7.2.0 and ours/floor, the target and
// what differs between the two binaries' work.
func report(cs []*contender, t *timings, f benchFlags) {
	fmt.Printf("aws-vault benchmark: fresh process per call, file backend, median of %d interleaved runs\n", f.runs)
	if len(cs) > 1 {
		src := f.refSource
		if src == "" {
			src = f.ref
		}
		fmt.Printf("reference: aws-vault v7.2.0 built from the Go module proxy (%s)\n", src)
	} else {
		fmt.Printf("reference: none (%s): timing ours alone\n", f.refNote)
	}
	floor := median(t.floor)
	fmt.Printf("  %-36s %8s %10s %12s %11s\n", "scenario", "ours ms", "v7.2.0 ms", "ours/v7.2.0", "ours/floor")
	byName := map[string][2]time.Duration{}
	for j, sc := range scenarios() {
		ours := median(t.times["ours"][j])
		ref := time.Duration(0)
		refCol := "-"
		if len(cs) > 1 && !sc.oursOnly {
			ref = median(t.times["v7.2.0"][j])
			refCol = fmt.Sprintf("%.1f", ms(ref))
		}
		byName[sc.name] = [2]time.Duration{ours, ref}
		fmt.Printf("  %-36s %8.1f %10s %12s %11s\n", sc.name, ms(ours), refCol, ratio(ours, ref), ratio(ours, floor))
	}
	if floor > 0 {
		fmt.Printf("  %-36s %8.1f\n", "floor: Go start-up + one decrypt", ms(floor))
	}
	if len(cs) > 1 {
		for _, name := range []string{"warm exec --json plain", "exec --json --no-session plain"} {
			v := byName[name]
			verdict := "met"
			if float64(v[0]) > target*float64(v[1]) {
				verdict = "NOT met"
			}
			fmt.Printf("target %s <= %.2fx v7.2.0: %s (%s)\n", name, target, verdict, ratio(v[0], v[1]))
		}
		agent, ref := byName["  the same, aws-vault unlock (agent)"][0], byName["warm exec --json plain"]
		verdict := "met"
		if float64(agent) > agentTarget*float64(ref[1]) || agent >= ref[0] {
			verdict = "NOT met"
		}
		fmt.Printf("target warm exec --json plain with the agent <= %.2fx v7.2.0 and below ours without it: %s (%s of v7.2.0, %s of ours without)\n",
			agentTarget, verdict, ratio(agent, ref[1]), ratio(agent, ref[0]))
	}
	reportCalls(cs, t, f.runs)
}

// reportCalls says which timed runs called AWS: a warm call makes no call,
// so a scenario where one binary calls AWS and the other does not compares
// different work.
func reportCalls(cs []*contender, t *timings, runs int) {
	var lines []string
	for j, sc := range scenarios() {
		for _, c := range cs {
			if n := t.calls[c.name][j]; n > 0 {
				lines = append(lines, fmt.Sprintf("  %s: %s made %d AWS calls in %d runs", sc.name, c.name, n, runs))
			}
		}
	}
	if len(lines) == 0 {
		fmt.Println("AWS calls during the timed runs: none (every timed call was served from the keyring)")
		return
	}
	fmt.Println("AWS calls during the timed runs (different work, not a like-for-like comparison):")
	fmt.Println(strings.Join(lines, "\n"))
	if len(cs) > 1 {
		fmt.Println("  (v7.2.0 caches an AssumeRole session only when the AssumeRole call itself carries MFA: not for a role")
		fmt.Println("  without mfa_serial, nor for chained MFA, where the MFA went to GetSessionToken; ours caches every role session)")
	}
}

// concurrency runs 50 cold exec --json for an MFA role at once and reports
// the STS calls and MFA prompts they made (ours only: v7.2.0 has no
// cross-process lock, so each call would ask for its own code).
func concurrency(bin, dir, busAddr string) error {
	w, cleanup, err := newWorld(bin, dir, busAddr, benchConfig, benchKeys())
	if cleanup != nil {
		defer cleanup()
	}
	if err != nil {
		return err
	}
	code := vaulttest.TOTP(vaulttest.AliceTOTPSecret, time.Now())
	if err := os.WriteFile(filepath.Join(w.home, "code"), []byte(code), 0o600); err != nil {
		return err
	}
	start := time.Now()
	errs := make(chan error, 50)
	for i := 0; i < 50; i++ {
		go func() {
			_, err := w.cmd("", "exec", "--json", "admin")
			errs <- err
		}()
	}
	var first error
	for i := 0; i < 50; i++ {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	if first != nil {
		return first
	}
	runs, _ := os.ReadFile(filepath.Join(w.home, "mfa-runs"))
	fmt.Printf("ours, 50 concurrent cold exec --json admin (MFA role): %d GetSessionToken, %d AssumeRole, %d MFA prompts, %.0f ms in all (target: 1, 1, 1)\n",
		w.aws.Count("GetSessionToken"), w.aws.Count("AssumeRole"), strings.Count(string(runs), "run"), ms(time.Since(start)))
	return nil
}
