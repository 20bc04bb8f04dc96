package cli_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/alecthomas/kingpin/v2"
	"github.com/awsvault/aws-vault/cli"
)

var updateSurface = flag.Bool("update-surface", false, "rewrite testdata/surface.golden")

// surfaceGolden lists every command, flag, short flag, argument and
// environment variable; lines of additions to aws-vault v7's surface end
// in "# ours: <why>".
const surfaceGolden = "testdata/surface.golden"

// TestCLISurface keeps the command line the contract: the set of commands,
// flags, shorts, arguments and environment variables equals the golden
// list, and every addition to aws-vault v7's surface is marked as ours.
func TestCLISurface(t *testing.T) {
	got := append(modelSurface(cli.NewApp(&cli.Deps{}).Model()), sourceEnvVars(t)...)
	sort.Strings(got)
	raw, err := os.ReadFile(surfaceGolden)
	if err != nil && !*updateSurface {
		t.Fatal(err)
	}
	marks := map[string]string{}
	var want []string
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		entry, mark, _ := strings.Cut(line, " # ")
		entry = strings.TrimSpace(entry)
		if entry != "" {
			want = append(want, entry)
			marks[entry] = mark
		}
	}
	if *updateSurface {
		writeSurface(t, got, marks)
		return
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("CLI surface changed (go test ./cli -run TestCLISurface -update-surface, then mark additions):\n%s",
			diffLines(want, got))
	}
}

func writeSurface(t *testing.T, got []string, marks map[string]string) {
	var b strings.Builder
	for _, e := range got {
		if m := marks[e]; m != "" {
			fmt.Fprintf(&b, "%s # %s\n", e, m)
		} else {
			fmt.Fprintln(&b, e)
		}
	}
	if err := os.WriteFile(surfaceGolden, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// modelSurface renders the kingpin model, one entry per line.
func modelSurface(m *kingpin.ApplicationModel) []string {
	var out []string
	out = append(out, flagEntries("", m.Flags)...)
	var walk func(cmds []*kingpin.CmdModel)
	walk = func(cmds []*kingpin.CmdModel) {
		for _, c := range cmds {
			name := c.FullCommand
			line := "command " + name
			if len(c.Aliases) > 0 {
				line += " alias=" + strings.Join(c.Aliases, ",")
			}
			if c.Hidden {
				line += " hidden"
			}
			out = append(out, line)
			out = append(out, flagEntries(name+" ", c.Flags)...)
			for _, a := range c.Args {
				out = append(out, fmt.Sprintf("arg %s%s required=%v", name+" ", a.Name, a.Required))
			}
			walk(c.Commands)
		}
	}
	walk(m.Commands)
	return out
}

func flagEntries(prefix string, flags []*kingpin.FlagModel) []string {
	var out []string
	for _, f := range flags {
		if f.Name == "help" || strings.HasPrefix(f.Name, "help-") || strings.HasPrefix(f.Name, "completion-") {
			continue
		}
		line := "flag " + prefix + "--" + f.Name
		if f.Short != 0 {
			line += " -" + string(f.Short)
		}
		if f.Envar != "" {
			line += " env=" + f.Envar
		}
		if f.Hidden {
			line += " hidden"
		}
		out = append(out, line)
	}
	return out
}

var envRead = regexp.MustCompile(`"((?:AWS|YKMAN|DBUS|DISABLE|PASSWORD|SHELL|XDG)[A-Z0-9_]*)"`)

// sourceEnvVars lists the environment variable names the product's source
// mentions (read, set or removed), flags' variables included.
func sourceEnvVars(t *testing.T) []string {
	seen := map[string]bool{}
	for _, dir := range []string{".", "../vault", "../prompt", "../internal"} {
		err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") ||
				strings.Contains(path, "vaulttest") || strings.Contains(path, "keyringtest") {
				return err
			}
			src, err := os.ReadFile(path)
			for _, m := range envRead.FindAllStringSubmatch(string(src), -1) {
				seen[m[1]] = true
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	var out []string
	for name := range seen {
		out = append(out, "env "+name)
	}
	return out
}

// TestHelpTexts: every command, flag and argument has help, written as a
// sentence (capital first letter, final period).
func TestHelpTexts(t *testing.T) {
	m := cli.NewApp(&cli.Deps{}).Model()
	check := func(what, help string) {
		if help == "" || !unicode.IsUpper([]rune(help)[0]) || !strings.HasSuffix(help, ".") {
			t.Errorf("%s: help %q is not a sentence", what, help)
		}
	}
	for _, f := range m.Flags {
		check("--"+f.Name, f.Help)
	}
	for _, c := range m.Commands {
		check(c.FullCommand, c.Help)
		for _, f := range c.Flags {
			check(c.FullCommand+" --"+f.Name, f.Help)
		}
		for _, a := range c.Args {
			check(c.FullCommand+" <"+a.Name+">", a.Help)
		}
	}
}

func diffLines(want, got []string) string {
	in := func(list []string, s string) bool {
		for _, l := range list {
			if l == s {
				return true
			}
		}
		return false
	}
	var b strings.Builder
	for _, w := range want {
		if !in(got, w) {
			fmt.Fprintf(&b, "- %s\n", w)
		}
	}
	for _, g := range got {
		if !in(want, g) {
			fmt.Fprintf(&b, "+ %s\n", g)
		}
	}
	return b.String()
}
