package cli

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var updateREADME = flag.Bool("update-readme", false, "rewrite the usage part of ../README.md from the command tree")

const (
	readmePath       = "../README.md"
	readmeUsageBegin = "<!-- usage: generated from the command tree by go test ./cli -run TestREADMEUsage -update-readme; do not edit -->\n"
	readmeUsageEnd   = "<!-- usage: end -->\n"
)

// TestREADMEUsage checks the README's usage part against the command tree:
// each visible command's synopsis, help and examples, and the global flags,
// as readmeUsage renders them. -update-readme rewrites it.
func TestREADMEUsage(t *testing.T) {
	raw, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	before, rest, ok := strings.Cut(string(raw), readmeUsageBegin)
	current, after, ok2 := strings.Cut(rest, readmeUsageEnd)
	if !ok || !ok2 {
		t.Fatalf("README.md has no usage part between %q and %q", readmeUsageBegin, readmeUsageEnd)
	}
	want := readmeUsage(NewApp(&Deps{}))
	if *updateREADME {
		if err := os.WriteFile(readmePath, []byte(before+readmeUsageBegin+want+readmeUsageEnd+after), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if current != want {
		t.Errorf("README.md's usage part is not the command tree's (go test ./cli -run TestREADMEUsage -update-readme):\n%s",
			lineDiff(current, want))
	}
}

// readmeUsage renders the usage part in Markdown.
func readmeUsage(a *App) string {
	m := a.kp.Model()
	var b strings.Builder
	b.WriteString("\nFlags may stand before or after the command; `aws-vault help COMMAND` shows a command's own.\n")
	for _, c := range m.Commands {
		if c.Hidden {
			continue
		}
		paragraphs, examples := splitLongHelp(c.HelpLong)
		fmt.Fprintf(&b, "\n### aws-vault %s\n\n```\n%s\n```\n\n%s\n", c.FullCommand, "aws-vault "+strings.ReplaceAll(manUsage(c), `\-`, "-"), c.Help)
		for _, p := range paragraphs {
			fmt.Fprintf(&b, "\n%s\n", wrapText(p, 120))
		}
		fmt.Fprintf(&b, "\n```sh\n%s\n```\n", strings.Join(examples, "\n"))
	}
	b.WriteString("\n### Global flags\n\n| Flag | Variable | |\n|---|---|---|\n")
	for _, f := range m.Flags {
		if f.Hidden {
			continue
		}
		name := "--" + f.Name
		if !f.IsBoolFlag() {
			name += "=" + f.FormatPlaceHolder()
		}
		env := ""
		if f.Envar != "" {
			env = "`" + f.Envar + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", name, env, strings.ReplaceAll(f.Help, "|", `\|`))
	}
	b.WriteString("\n")
	return b.String()
}

// wrapText breaks text into lines of at most width characters.
func wrapText(text string, width int) string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && len(line)+1+len(word) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	return strings.Join(append(lines, line), "\n")
}

// lineDiff lists the lines of want missing from got (-) and those of got
// not in want (+), in order.
func lineDiff(got, want string) string {
	var b strings.Builder
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			fmt.Fprintf(&b, "line %d:\n- %s\n+ %s\n", i+1, wl, gl)
		}
	}
	return b.String()
}
