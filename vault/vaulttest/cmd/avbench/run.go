package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/awsvault/aws-vault/vault/vaulttest"
)

// benchFlags are the command line.
type benchFlags struct {
	bin, ref, refSource, refNote, floor, keep, ecsload string
	runs, ecsRounds                                    int
}

// contender is one binary being timed, with its two worlds.
type contender struct {
	name  string
	main  *world // the warm-session scenarios
	list  *world // 500 profiles, 500 keys
	agent *world // ours only: the main world's items, unlocked (no passphrase variable)
}

// scenario is one command line to time.
type scenario struct {
	name string
	args []string
	list bool // runs in the list world
	// agent scenarios run in the agent world, ours only.
	agent bool
	// env is added to the world's environment; oursOnly scenarios time a
	// setting v7.2.0 does not have.
	env      []string
	oursOnly bool
}

// scenarios are what is timed, in the order printed.
func scenarios() []scenario {
	return []scenario{
		{name: "warm exec --json plain", args: []string{"exec", "--json", "plain"}},
		// The issuance log is on by default: the row above writes it.
		{name: "  the same, AWS_VAULT_AUDIT_LOG=off", args: []string{"exec", "--json", "plain"},
			env: []string{"AWS_VAULT_AUDIT_LOG=off"}, oursOnly: true},
		{name: "  the same, aws-vault unlock (agent)", args: []string{"exec", "--json", "plain"}, agent: true, oursOnly: true},
		{name: "  the same, agent, AUDIT_LOG=off", args: []string{"exec", "--json", "plain"}, agent: true, oursOnly: true,
			env: []string{"AWS_VAULT_AUDIT_LOG=off"}},
		{name: "warm exec --json mfarole (MFA role)", args: []string{"exec", "--json", "mfarole"}},
		{name: "warm exec --json role (no MFA)", args: []string{"exec", "--json", "role"}},
		{name: "warm exec --json admin (chained MFA)", args: []string{"exec", "--json", "admin"}},
		{name: "exec --json --no-session plain", args: []string{"exec", "--json", "--no-session", "plain"}},
		{name: "exec plain -- true", args: []string{"exec", "plain", "--", "true"}},
		{name: "list, 500 profiles / 500 keys", args: []string{"list"}, list: true},
	}
}

// timings holds each contender's durations and AWS calls per scenario.
type timings struct {
	times map[string][][]time.Duration // contender -> scenario -> runs
	calls map[string][]int             // contender -> scenario -> AWS requests
	floor []time.Duration
}

func run(f benchFlags) error {
	dir, err := f.worldsDir()
	if err != nil {
		return err
	}
	if f.keep == "" {
		defer os.RemoveAll(dir)
	}
	busAddr, err := refusingSocket(filepath.Join(dir, "bus"))
	if err != nil {
		return err
	}
	bins := [][2]string{{"ours", f.bin}}
	if f.ref != "" {
		bins = append(bins, [2]string{"v7.2.0", f.ref})
	}
	var cs []*contender
	for i, b := range bins {
		c, cleanup, err := newContender(b[0], b[1], filepath.Join(dir, fmt.Sprint(i)), busAddr)
		if cleanup != nil {
			defer cleanup()
		}
		if err != nil {
			return fmt.Errorf("%s: %w", b[0], err)
		}
		cs = append(cs, c)
	}
	t, err := interleaved(cs, f.floor, f.runs)
	if err != nil {
		return err
	}
	report(cs, t, f)
	if f.ecsload != "" {
		if err := ecsBench(cs, f.ecsload, f.ecsRounds, dir); err != nil {
			return err
		}
	}
	return concurrency(f.bin, filepath.Join(dir, "concurrency"), busAddr)
}

// worldsDir makes the directory the worlds are built in.
func (f benchFlags) worldsDir() (string, error) {
	if f.keep == "" {
		return os.MkdirTemp("", "avbench")
	}
	return f.keep, os.Mkdir(f.keep, 0o700)
}

// newContender builds bin's worlds under dir and warms the main one.
func newContender(name, bin, dir, busAddr string) (*contender, func(), error) {
	var cleanups []func()
	cleanup := func() {
		for _, c := range cleanups {
			c()
		}
	}
	w, c1, err := newWorld(bin, filepath.Join(dir, "home"), busAddr, benchConfig, benchKeys())
	if c1 != nil {
		cleanups = append(cleanups, c1)
	}
	if err != nil {
		return nil, cleanup, err
	}
	if err := w.prime(); err != nil {
		return nil, cleanup, err
	}
	var cfg strings.Builder
	keys := map[string]vaulttest.FixtureUser{}
	for i := 0; i < 500; i++ {
		fmt.Fprintf(&cfg, "[profile p%03d]\nregion = eu-west-1\n\n", i)
		keys[fmt.Sprintf("p%03d", i)] = fixtureUser("bob")
	}
	l, c2, err := newWorld(bin, filepath.Join(dir, "list"), busAddr, cfg.String(), keys)
	if c2 != nil {
		cleanups = append(cleanups, c2)
	}
	if err != nil {
		return nil, cleanup, err
	}
	c := &contender{name: name, main: w, list: l}
	if name == "ours" {
		a, c3, err := newAgentWorld(bin, filepath.Join(dir, "agent"), busAddr)
		if c3 != nil {
			cleanups = append(cleanups, c3)
		}
		if err != nil {
			return nil, cleanup, err
		}
		c.agent = a
	}
	return c, cleanup, nil
}

// newAgentWorld builds a main world whose keyring is unlocked: an agent
// (started by aws-vault unlock, the passphrase given to unlock alone)
// serves it, and its environment has no passphrase variable. Its cleanup
// locks it again, which ends the agent.
func newAgentWorld(bin, dir, busAddr string) (*world, func(), error) {
	w, cleanup, err := newWorld(bin, dir, busAddr, benchConfig, benchKeys())
	if err != nil {
		return nil, cleanup, err
	}
	run := filepath.Join(dir, "run")
	if err := os.Mkdir(run, 0o700); err != nil {
		return nil, cleanup, err
	}
	env := []string{"XDG_RUNTIME_DIR=" + run}
	for _, kv := range w.env {
		if !strings.HasPrefix(kv, "AWS_VAULT_FILE_PASSPHRASE=") {
			env = append(env, kv)
		}
	}
	w.env = env
	if _, err := w.cmdEnv([]string{"AWS_VAULT_FILE_PASSPHRASE=bench"}, "", "unlock", "--for", "1h"); err != nil {
		return nil, cleanup, err
	}
	locked := func() {
		_, _ = w.cmd("", "lock")
		cleanup()
	}
	return w, locked, w.prime()
}

// interleaved runs every scenario for every contender round-robin, runs
// times each, alternating which contender goes first, so that a slow
// moment of the machine weighs on all alike; each timed call follows an
// untimed one of the same command. The floor runs once a round, after an
// untimed run of its own.
func interleaved(cs []*contender, floor string, runs int) (*timings, error) {
	t := &timings{times: map[string][][]time.Duration{}, calls: map[string][]int{}}
	scs := scenarios()
	for _, c := range cs {
		t.times[c.name] = make([][]time.Duration, len(scs))
		t.calls[c.name] = make([]int, len(scs))
	}
	item := filepath.Join(cs[0].main.home, ".awsvault", "keys", "plain")
	for i := 0; i < runs; i++ {
		order := slices.Clone(cs)
		if i%2 == 1 {
			slices.Reverse(order)
		}
		for j, sc := range scs {
			for _, c := range order {
				if sc.oursOnly && c.name != "ours" {
					continue
				}
				w := c.main
				if sc.list {
					w = c.list
				}
				if sc.agent {
					w = c.agent
				}
				// An untimed call of the same command first: a call right
				// after another program (the other contender, the floor,
				// another world) runs measurably slower than a repeated
				// one, whoever the contender is, so without it the order of
				// the rows would show in the figures. A credential_process
				// is called repeatedly, as here.
				if _, err := w.cmdEnv(sc.env, "", sc.args...); err != nil {
					return nil, fmt.Errorf("%s: %w", c.name, err)
				}
				before := w.awsCalls()
				d, err := w.cmdEnv(sc.env, "", sc.args...)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", c.name, err)
				}
				t.times[c.name][j] = append(t.times[c.name][j], d)
				t.calls[c.name][j] += w.awsCalls() - before
			}
		}
		if floor != "" {
			if _, err := cs[0].main.cmd(floor, item, "bench"); err != nil {
				return nil, err
			}
			d, err := cs[0].main.cmd(floor, item, "bench")
			if err != nil {
				return nil, err
			}
			t.floor = append(t.floor, d)
		}
	}
	return t, nil
}

// median returns the median of ds (0 for none).
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func ratio(a, b time.Duration) string {
	if a == 0 || b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2fx", float64(a)/float64(b))
}
