package cli_test

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
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

// kingpinBuiltin are the flags kingpin.New declares, as in every kingpin
// program and in aws-vault v7.
var kingpinBuiltin = map[string]bool{
	"help": true, "help-long": true, "help-man": true,
	"completion-bash": true, "completion-script-bash": true, "completion-script-zsh": true,
}

func flagEntries(prefix string, flags []*kingpin.FlagModel) []string {
	var out []string
	for _, f := range flags {
		if kingpinBuiltin[f.Name] {
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

// The help voice, for every command, flag and argument of the tree (hidden
// ones and kingpin's own included). TestHelpTexts checks what can be
// checked; new commands and flags follow the same rules.
//
//  1. Help is a sentence (or two) on one line: capital first letter, final
//     period, no double spaces, at most 150 characters. A command's Help is
//     one sentence of at most 76 characters, so that the root --help lists
//     each command on one line.
//  2. A command's Help, and a boolean flag's, is an imperative saying what
//     it does: "Store a profile's ...", "Print only ...", "Delete without
//     asking ..." (never "Stores ...", "If set, ...", "Whether ...",
//     "Enables ..."). A flag that is another's alias says "Same as --x.".
//  3. A flag that takes a value, and an argument, names the value: "Name of
//     the profile.", "Duration of the temporary credentials, e.g. 1h (at
//     least 15m).", "Output format: env, export-env, json or ini.".
//  4. Never repeat what kingpin shows beside the help: the flag's Default
//     or its Envar. Write "(default: ...)" only for a default kingpin
//     cannot show (no Default set).
//  5. Name things as they are typed: --flag, AWS_VARIABLE, ~/.aws/config,
//     credential_process, AWS APIs as GetSessionToken.
//  6. A visible command has a HelpLong, shown at the end of its --help: at
//     most two short paragraphs of what a user must know beyond the Help
//     (present tense: "Asks for ...", "Prints ..."), then a block
//     "Examples:" with one or two lines, each indented two spaces and
//     reading "aws-vault <command> ..." (a "  # comment" may follow). Each
//     example must parse as that command.

// TestHelpTexts walks the command tree and fails on a command, flag or
// argument whose help breaks the rules above.
func TestHelpTexts(t *testing.T) {
	m := cli.NewApp(&cli.Deps{}).Model()
	for _, f := range m.Flags {
		checkFlagHelp(t, "--"+f.Name, f)
	}
	var walk func(cmds []*kingpin.CmdModel)
	walk = func(cmds []*kingpin.CmdModel) {
		for _, c := range cmds {
			checkSentence(t, c.FullCommand, c.Help, 76)
			checkImperative(t, c.FullCommand, c.Help)
			if !c.Hidden {
				checkExamples(t, c)
			}
			for _, f := range c.Flags {
				checkFlagHelp(t, c.FullCommand+" --"+f.Name, f)
			}
			for _, a := range c.Args {
				checkSentence(t, c.FullCommand+" <"+a.Name+">", a.Help, 150)
			}
			walk(c.Commands)
		}
	}
	walk(m.Commands)
}

func checkSentence(t *testing.T, what, help string, max int) {
	t.Helper()
	switch {
	case help == "":
		t.Errorf("%s has no help", what)
	case !unicode.IsUpper([]rune(help)[0]) || !strings.HasSuffix(help, "."):
		t.Errorf("%s: help %q is not a sentence (capital first letter, final period)", what, help)
	case strings.Contains(help, "\n") || strings.Contains(help, "  ") || strings.TrimSpace(help) != help:
		t.Errorf("%s: help %q is not one line with single spaces", what, help)
	case len(help) > max:
		t.Errorf("%s: help is %d characters, more than %d: %q", what, len(help), max, help)
	}
}

// checkImperative rejects the usual ways of not writing an imperative.
func checkImperative(t *testing.T, what, help string) {
	t.Helper()
	if strings.HasPrefix(help, "Same as --") {
		return
	}
	first, _, _ := strings.Cut(help, " ")
	first = strings.TrimRight(first, ",.:")
	notVerbs := []string{"If", "Whether", "When", "This", "Flag", "Option", "The", "A", "An"}
	if slices.Contains(notVerbs, first) || (strings.HasSuffix(first, "s") && !strings.HasSuffix(first, "ss")) {
		t.Errorf("%s: help %q does not start with an imperative (Print, Store, Use ...)", what, help)
	}
}

func checkFlagHelp(t *testing.T, what string, f *kingpin.FlagModel) {
	t.Helper()
	checkSentence(t, what, f.Help, 150)
	if f.IsBoolFlag() {
		checkImperative(t, what, f.Help)
	}
	if f.Envar != "" && strings.Contains(f.Help, f.Envar) {
		t.Errorf("%s: help repeats its variable %s, which --help shows", what, f.Envar)
	}
	if len(f.Default) > 0 && strings.Contains(f.Help, "(default:") {
		t.Errorf("%s: help repeats its default, which --help shows", what)
	}
}

// checkExamples checks a visible command's HelpLong: paragraphs, then one
// or two examples, each parsing as the command (run with --help, which
// parses the line and shows the selected command's usage).
func checkExamples(t *testing.T, c *kingpin.CmdModel) {
	t.Helper()
	blocks := strings.Split(strings.TrimSpace(c.HelpLong), "\n\n")
	last := strings.Split(blocks[len(blocks)-1], "\n")
	if last[0] != "Examples:" || len(last) < 2 || len(last) > 3 {
		t.Errorf("%s: HelpLong does not end with \"Examples:\" and one or two examples:\n%s", c.FullCommand, c.HelpLong)
		return
	}
	if len(blocks) > 3 {
		t.Errorf("%s: HelpLong has %d paragraphs before its examples, more than two", c.FullCommand, len(blocks)-1)
	}
	for _, line := range last[1:] {
		example, _, _ := strings.Cut(strings.TrimSpace(line), "  # ")
		example = strings.TrimRight(example, " ")
		words := strings.Fields(example)
		if !strings.HasPrefix(line, "  aws-vault ") || strings.HasPrefix(line, "   ") {
			t.Errorf("%s: example %q is not indented two spaces and starting with aws-vault", c.FullCommand, line)
			continue
		}
		args := words[1:]
		if i := slices.Index(args, "--"); i >= 0 {
			args = append(args[:i:i], append([]string{"--help"}, args[i:]...)...)
		} else {
			args = append(args, "--help")
		}
		var stderr strings.Builder
		code := cli.Main(context.Background(), args, &cli.Deps{Stdout: io.Discard, Stderr: &stderr})
		want := "usage: aws-vault " + c.FullCommand
		if out := stderr.String(); code != 0 || !(strings.HasPrefix(out, want+" ") || strings.HasPrefix(out, want+"\n")) {
			t.Errorf("%s: example %q does not parse as %s (exit status %d): %s", c.FullCommand, example, c.FullCommand,
				code, strings.SplitN(stderr.String(), "\n", 2)[0])
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
