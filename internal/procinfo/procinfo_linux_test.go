package procinfo

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestCallers runs a child through sh: the child's parent is sh, and the
// parent's parent is this test.
func TestCallers(t *testing.T) {
	if os.Getenv("PROCINFO_CHILD") == "1" {
		parent, grand := Callers()
		os.Stdout.WriteString(strconv.Itoa(parent.PID) + " " + parent.Name + " " + parent.Exe + "\n")
		os.Stdout.WriteString(strconv.Itoa(grand.PID) + " " + grand.Name + " " + grand.Exe + "\n")
		return
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	cmd := exec.Command(sh, "-c", `"$0" -test.run '^TestCallers$'; true`, self)
	cmd.Env = append(os.Environ(), "PROCINFO_CHILD=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) < 2 {
		t.Fatalf("child printed %q", out)
	}
	shExe, err := filepath.EvalSymlinks(sh)
	if err != nil {
		t.Fatal(err)
	}
	parent := strings.Fields(lines[0])
	if len(parent) != 3 || parent[1] != "sh" || parent[2] != shExe {
		t.Errorf("parent %q, want sh, %s", lines[0], shExe)
	}
	if want := strconv.Itoa(cmd.Process.Pid); parent[0] != want {
		t.Errorf("parent pid %s, want sh's %s", parent[0], want)
	}
	grand := strings.Fields(lines[1])
	exe, _ := os.Executable()
	if len(grand) != 3 || grand[0] != strconv.Itoa(os.Getpid()) || grand[2] != exe {
		t.Errorf("grandparent %q, want this test (pid %d, %s)", lines[1], os.Getpid(), exe)
	}
}

// TestStatParent reads the parent pid past a command name with spaces
// and parentheses.
func TestStatParent(t *testing.T) {
	path := t.TempDir() + "/stat"
	if err := os.WriteFile(path, []byte("4242 (a (b) c) S 77 4242 4242 0 -1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := statParent(path); got != 77 {
		t.Errorf("statParent = %d, want 77", got)
	}
	if got := statParent(path + "-missing"); got != 0 {
		t.Errorf("statParent(missing) = %d, want 0", got)
	}
}
