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
	if comm, err := os.ReadFile(dir + "comm"); err == nil {
		p.Name = strings.TrimSuffix(string(comm), "\n")
	}
	return p, statParent(dir + "stat")
}

// statParent reads the parent pid from /proc/<pid>/stat: "pid (comm) state
// ppid ...", where comm may itself hold spaces and parentheses.
func statParent(path string) int {
	stat, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	s := string(stat)
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
