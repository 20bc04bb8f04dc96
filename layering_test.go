package main

import (
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const mod = "github.com/awsvault/aws-vault/"

// layer is one import rule: the packages pattern matches (a go list
// pattern) may depend on nothing under banned, and, when leaf is set, on
// nothing of ours but internal/ and the packages pattern itself matches.
type layer struct {
	pattern string
	banned  []string
	leaf    bool
}

// layers are the rules of the house (see the README's layout section):
// vault/config and vault/keyring are leaves, the core never reaches the
// command line or the prompt drivers (MFA comes in through an interface),
// prompt and server never reach the command line, prompt never reaches the
// core, and internal/ is below everything.
var layers = []layer{
	{pattern: "./internal/...", leaf: true},
	{pattern: "./vault/config/...", leaf: true},
	{pattern: "./vault/keyring/...", leaf: true},
	{pattern: "./vault/...", banned: []string{mod + "cli", mod + "prompt", "github.com/alecthomas/kingpin"}},
	{pattern: "./prompt/...", banned: []string{mod + "cli", mod + "vault", "github.com/alecthomas/kingpin"}},
	{pattern: "./server/...", banned: []string{mod + "cli", "github.com/alecthomas/kingpin"}},
}

// arriving are the patterns allowed to match nothing yet, each with the
// reason. Every other pattern must match a package: a mistyped one would
// otherwise pass without checking anything. An entry whose packages exist
// is an error too, so that the tolerance ends when they arrive.
var arriving = map[string]string{}

// TestLayering checks every rule with go list -deps.
func TestLayering(t *testing.T) {
	for _, l := range layers {
		for _, problem := range l.check() {
			t.Error(problem)
		}
	}
}

// keyringLibrary is imported by vault/keyring alone, tests included: the
// rest of the module uses its Item and ErrKeyNotFound.
const keyringLibrary = "github.com/99designs/keyring"

// TestKeyringLibraryImportedOnce checks that only vault/keyring imports
// the keyring library.
func TestKeyringLibraryImportedOnce(t *testing.T) {
	importers, err := directImporters("./...", keyringLibrary)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(importers, []string{mod + "vault/keyring"}) {
		t.Errorf("%s is imported by %q; only %svault/keyring may import it", keyringLibrary, importers, mod)
	}
}

// directImporters lists the packages pattern matches whose code or tests
// import path.
func directImporters(pattern, path string) ([]string, error) {
	cmd := exec.Command("go", "list", "-e", "-f", "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}{{range .TestImports}} {{.}}{{end}}{{range .XTestImports}} {{.}}{{end}}", pattern)
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list %s: %v", pattern, err)
	}
	var importers []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) > 1 && slices.Contains(f[1:], path) {
			importers = append(importers, f[0])
		}
	}
	return importers, nil
}

// TestLayeringCatchesMistakes is the test of the test: a pattern that
// matches nothing, a banned import and a leaf's import of a sibling are
// each reported.
func TestLayeringCatchesMistakes(t *testing.T) {
	for _, tc := range []struct {
		l    layer
		want string
	}{
		{layer{pattern: "./vault/confg/..."}, "./vault/confg/... matches no package"},
		{layer{pattern: "./vault/nonesuch"}, "./vault/nonesuch matches no package"},
		{layer{pattern: "./cli", banned: []string{"github.com/alecthomas/kingpin"}}, mod + "cli depends on github.com/alecthomas/kingpin/v2"},
		{layer{pattern: "./vault", leaf: true}, mod + "vault depends on " + mod + "vault/config"},
	} {
		problems := tc.l.check()
		if !slices.ContainsFunc(problems, func(p string) bool { return strings.HasPrefix(p, tc.want) }) {
			t.Errorf("rule %+v: problems %q, want one starting %q", tc.l, problems, tc.want)
		}
	}
	// A direct import is found, in a test file as in code.
	if got, err := directImporters("./vault/...", "testing"); err != nil || !slices.Contains(got, mod+"vault/config") {
		t.Errorf("importers of testing under vault/: %q, %v; want vault/config (its tests) among them", got, err)
	}
}

// check returns what breaks the rule, one line each.
func (l layer) check() []string {
	pkgs, err := goList(l.pattern)
	if err != nil {
		return []string{err.Error()}
	}
	why, tolerated := arriving[l.pattern]
	switch {
	case len(pkgs) == 0 && tolerated:
		return nil
	case len(pkgs) == 0:
		return []string{l.pattern + " matches no package"}
	case tolerated:
		return []string{fmt.Sprintf("%s matches packages now: take it out of arriving in layering_test.go (%s)", l.pattern, why)}
	}
	deps, err := goList(append([]string{"-deps"}, pkgs...)...)
	if err != nil {
		return []string{err.Error()}
	}
	var problems []string
	for _, dep := range deps {
		if l.forbids(dep, pkgs) {
			problems = append(problems, fmt.Sprintf("%s depends on %s", importer(pkgs), dep))
		}
	}
	return problems
}

// forbids reports whether the rule forbids depending on dep; own are the
// packages the rule is about.
func (l layer) forbids(dep string, own []string) bool {
	for _, b := range l.banned {
		if dep == b || strings.HasPrefix(dep, b+"/") {
			return true
		}
	}
	return l.leaf && strings.HasPrefix(dep, mod) && !strings.HasPrefix(dep, mod+"internal/") && !slices.Contains(own, dep)
}

// importer names the packages checked, for a problem line: the one
// package, or the first and how many there are.
func importer(pkgs []string) string {
	if len(pkgs) == 1 {
		return pkgs[0]
	}
	return fmt.Sprintf("%s (or another of its %d packages)", pkgs[0], len(pkgs))
}

// goList runs go list with args and returns the import paths it prints.
// A pattern that names no directory gives no package, not an error.
func goList(args ...string) ([]string, error) {
	cmd := exec.Command("go", append([]string{"list", "-e", "-f", "{{.ImportPath}}\t{{if .Error}}{{.Error}}{{end}}"}, args...)...)
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list %s: %v", strings.Join(args, " "), err)
	}
	var pkgs []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		path, listErr, _ := strings.Cut(line, "\t")
		switch {
		case path == "":
		case strings.Contains(listErr, "no such file or directory") || strings.Contains(listErr, "directory not found") ||
			strings.Contains(listErr, "matched no packages"):
			// the pattern names nothing
		case listErr != "":
			return nil, fmt.Errorf("go list %s: %s: %s", strings.Join(args, " "), path, listErr)
		default:
			pkgs = append(pkgs, path)
		}
	}
	return pkgs, nil
}
