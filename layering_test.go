package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLayering keeps the core free of the command line: vault, server and
// prompt never import cli or kingpin, and vault never imports prompt (MFA
// reaches the core through an interface).
func TestLayering(t *testing.T) {
	const mod = "github.com/awsvault/aws-vault/"
	rules := map[string][]string{
		"./vault/...":  {mod + "cli", "github.com/alecthomas/kingpin", mod + "prompt"},
		"./server/...": {mod + "cli", "github.com/alecthomas/kingpin"},
		"./prompt/...": {mod + "cli", "github.com/alecthomas/kingpin", mod + "vault"},
	}
	for pkgs, banned := range rules {
		out, err := exec.Command("go", "list", "-deps", pkgs).CombinedOutput()
		if err != nil {
			if strings.Contains(string(out), "matched no packages") || strings.Contains(string(out), "no such file or directory") {
				continue
			}
			t.Fatalf("go list -deps %s: %v\n%s", pkgs, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			for _, b := range banned {
				if dep == b || strings.HasPrefix(dep, b+"/") {
					t.Errorf("%s depends on %s", pkgs, dep)
				}
			}
		}
	}
}
