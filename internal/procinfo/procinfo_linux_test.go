package procinfo

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
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

// TestParseStat reads the name and the parent pid past a command name
// with spaces and parentheses.
func TestParseStat(t *testing.T) {
	path := t.TempDir() + "/stat"
	if err := os.WriteFile(path, []byte("4242 (a (b) c) S 77 4242 4242 0 -1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if name, ppid, ok := parseStat(path); name != "a (b) c" || ppid != 77 || !ok {
		t.Errorf("parseStat = %q, %d, %v; want a (b) c, 77, true", name, ppid, ok)
	}
	if _, ppid, ok := parseStat(path + "-missing"); ppid != 0 || ok {
		t.Errorf("parseStat(missing) = %d, %v; want 0, false", ppid, ok)
	}
}

// TestNameIsComm: the name describe takes from stat is what
// /proc/<pid>/comm holds, for a command name with a backslash, a newline,
// parentheses and spaces.
func TestNameIsComm(t *testing.T) {
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep")
	}
	data, err := os.ReadFile(sleep)
	if err != nil {
		t.Fatal(err)
	}
	odd := filepath.Join(t.TempDir(), "a\\b\nc) (d")
	if err := os.WriteFile(odd, data, 0o700); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(odd, "10")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	comm := ""
	for i := 0; i < 200 && comm != "a\\b\nc) (d\n"; i++ { // until the exec is done
		b, _ := os.ReadFile("/proc/" + strconv.Itoa(cmd.Process.Pid) + "/comm")
		comm = string(b)
		time.Sleep(5 * time.Millisecond)
	}
	p, ppid := describe(cmd.Process.Pid)
	if p.Name+"\n" != comm || ppid != os.Getpid() || p.Exe != odd {
		t.Errorf("describe = %+v, %d; want name %q (comm), parent %d, exe %q", p, ppid, strings.TrimSuffix(comm, "\n"), os.Getpid(), odd)
	}
}
