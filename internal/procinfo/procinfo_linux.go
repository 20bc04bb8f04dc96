package procinfo

import (
	"os"
	"strconv"
	"strings"
)

// describe reads /proc/<pid>: exe (a link, readable for processes of the
// same user that are dumpable), comm, and stat for the parent's pid.
func describe(pid int) (Process, int) {
	dir := "/proc/" + strconv.Itoa(pid) + "/"
	p := Process{PID: pid}
	p.Exe, _ = os.Readlink(dir + "exe")
	if comm, err := readSmall(dir + "comm"); err == nil {
		p.Name = strings.TrimSuffix(comm, "\n")
	}
	return p, statParent(dir + "stat")
}

// readSmall reads a small /proc file in one read (os.ReadFile would stat
// it and read twice: this runs on every credential call).
func readSmall(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var buf [1024]byte
	n, err := f.Read(buf[:])
	return string(buf[:n]), err
}

// statParent reads the parent pid from /proc/<pid>/stat: "pid (comm) state
// ppid ...", where comm may itself hold spaces and parentheses.
func statParent(path string) int {
	s, err := readSmall(path)
	if err != nil {
		return 0
	}
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	fields := strings.Fields(s[i+1:])
	if len(fields) < 2 {
		return 0
	}
	ppid, _ := strconv.Atoi(fields[1])
	return ppid
}
