package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// ecsLevels are the kept-alive connection counts of the ECS server load,
// and ecsRequests the authorised GETs at each.
var ecsLevels = []int{1, 4, 16}

const ecsRequests = 5000

// ecsP99Target is the goal for the 99th percentile at 16 connections.
const ecsP99Target = 2 * time.Millisecond

// ecsFigures are one contender's figures at one level, one per round.
type ecsFigures struct {
	rps      []float64
	p50, p99 []time.Duration
}

// ecsBench runs `exec --ecs-server plain -- ecsload` for each contender,
// rounds times, interleaved and alternating which goes first, and reports
// the medians per level. Both binaries find a dialog program on PATH that
// is never run (the plain profile asks for no MFA code): aws-vault v7.2.0
// refuses to start a server when the only prompt driver it can choose is
// the terminal, as it would be here.
func ecsBench(cs []*contender, ecsload string, rounds int, dir string) error {
	fakeDialogs := filepath.Join(dir, "fake-dialogs")
	if err := os.MkdirAll(fakeDialogs, 0o700); err != nil {
		return err
	}
	script := "#!/bin/sh\necho 'the benchmark has no dialogs' >&2\nexit 1\n"
	if err := os.WriteFile(filepath.Join(fakeDialogs, "zenity"), []byte(script), 0o700); err != nil {
		return err
	}
	figs := map[string][]ecsFigures{}
	for _, c := range cs {
		figs[c.name] = make([]ecsFigures, len(ecsLevels))
	}
	levels := make([]string, len(ecsLevels))
	for i, n := range ecsLevels {
		levels[i] = fmt.Sprint(n)
	}
	for i := 0; i < rounds; i++ {
		order := slices.Clone(cs)
		if i%2 == 1 {
			slices.Reverse(order)
		}
		for _, c := range order {
			out, err := c.main.ecsRun(fakeDialogs, ecsload, strings.Join(levels, ","))
			if err != nil {
				return fmt.Errorf("%s: ecs server: %w", c.name, err)
			}
			if err := parseECSLoad(out, figs[c.name]); err != nil {
				return fmt.Errorf("%s: ecs server: %w", c.name, err)
			}
		}
	}
	reportECS(cs, figs, rounds)
	return nil
}

// ecsRun serves the plain profile and runs the load client as the command.
func (w *world) ecsRun(fakeDialogs, ecsload, levels string) (string, error) {
	c := exec.Command(w.bin, "exec", "--ecs-server", "plain", "--", ecsload, "-n", fmt.Sprint(ecsRequests), "-c", levels)
	env := slices.Clone(w.env)
	for i, kv := range env {
		if strings.HasPrefix(kv, "PATH=") {
			env[i] = "PATH=" + fakeDialogs + ":" + strings.TrimPrefix(kv, "PATH=")
		}
	}
	c.Env = env
	out, err := c.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		return "", fmt.Errorf("%v: %s%s", err, out, stderr)
	}
	return string(out), nil
}

// parseECSLoad reads ecsload's lines into figs, one entry per level.
func parseECSLoad(out string, figs []ecsFigures) error {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(ecsLevels) {
		return fmt.Errorf("ecsload printed %d lines, want %d: %q", len(lines), len(ecsLevels), out)
	}
	for i, line := range lines {
		var conns, requests, errs int
		var rps, p50, p99 float64
		if _, err := fmt.Sscanf(line, "conns=%d requests=%d errors=%d rps=%f p50_ms=%f p99_ms=%f",
			&conns, &requests, &errs, &rps, &p50, &p99); err != nil {
			return fmt.Errorf("ecsload line %q: %v", line, err)
		}
		if conns != ecsLevels[i] || errs != 0 {
			return fmt.Errorf("ecsload line %q: want conns=%d and no errors", line, ecsLevels[i])
		}
		figs[i].rps = append(figs[i].rps, rps)
		figs[i].p50 = append(figs[i].p50, time.Duration(p50*float64(time.Millisecond)))
		figs[i].p99 = append(figs[i].p99, time.Duration(p99*float64(time.Millisecond)))
	}
	return nil
}

func medianFloat(fs []float64) float64 {
	if len(fs) == 0 {
		return 0
	}
	s := slices.Clone(fs)
	slices.Sort(s)
	return s[len(s)/2]
}

// reportECS prints the medians per level and the targets: at least
// v7.2.0's requests per second at every level, p99 under 2 ms at 16.
func reportECS(cs []*contender, figs map[string][]ecsFigures, rounds int) {
	fmt.Printf("ECS credential server (exec --ecs-server plain): %d authorised GETs per level over kept-alive connections, median of %d interleaved rounds\n",
		ecsRequests, rounds)
	fmt.Printf("  %-6s %10s %9s %9s %10s %9s %9s %12s\n", "conns", "ours rps", "p50 ms", "p99 ms", "v7 rps", "p50 ms", "p99 ms", "ours/v7.2.0")
	rpsMet, p99Met := true, true
	for i, n := range ecsLevels {
		o := figs["ours"][i]
		ours := medianFloat(o.rps)
		line := fmt.Sprintf("  %-6d %10.0f %9.3f %9.3f", n, ours, ms(median(o.p50)), ms(median(o.p99)))
		if len(cs) > 1 {
			r := figs["v7.2.0"][i]
			ref := medianFloat(r.rps)
			line += fmt.Sprintf(" %10.0f %9.3f %9.3f %11.2fx", ref, ms(median(r.p50)), ms(median(r.p99)), ours/ref)
			if ours < ref {
				rpsMet = false
			}
		}
		if n == 16 && median(o.p99) >= ecsP99Target {
			p99Met = false
		}
		fmt.Println(line)
	}
	if len(cs) > 1 {
		fmt.Printf("target ECS server req/s >= v7.2.0 at every level: %s\n", metText(rpsMet))
	}
	fmt.Printf("target ECS server p99 < %s at 16 connections: %s\n", ecsP99Target, metText(p99Met))
}

func metText(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}
