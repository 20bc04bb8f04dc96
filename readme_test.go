package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestREADMESetUp checks the promise to a new user: the README's set-up
// commands are make targets the Makefile defines, and CI runs make test.
func TestREADMESetUp(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	setup := regexp.MustCompile("(?s)## Set up.*?```sh\n(.*?)```").FindSubmatch(readme)
	if setup == nil {
		t.Fatal("README.md has no ## Set up section with a sh block")
	}
	var cmds []string
	for _, line := range strings.Split(string(setup[1]), "\n") {
		if f := strings.Fields(strings.SplitN(line, "#", 2)[0]); len(f) > 0 {
			cmds = append(cmds, strings.Join(f, " "))
		}
	}
	if strings.Join(cmds, ";") != "make demo;make test" {
		t.Errorf("README set-up commands %q, want make demo and make test", cmds)
	}
	makefile, err := os.ReadFile("Makefile")
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"demo", "test"} {
		if !regexp.MustCompile(`(?m)^` + target + `:`).Match(makefile) {
			t.Errorf("Makefile has no %s target", target)
		}
	}
	ci, err := os.ReadFile(".ci/run")
	if err != nil || !regexp.MustCompile(`(?m)^exec make test$`).Match(ci) {
		t.Errorf(".ci/run must run make test (%v)", err)
	}
}
