package procinfo

import (
	"strconv"
	"strings"
	"syscall"
)

// describe reads /proc/<pid>: exe (a link, readable for processes of the
// same user that are dumpable), and stat for the command name and the
// parent's pid. stat holds the name as comm does, unescaped: "pid (comm)
// state ppid ...", where comm may itself hold spaces and parentheses.
func describe(pid int) (Process, int) {
	dir := "/proc/" + strconv.Itoa(pid) + "/"
	p := Process{PID: pid}
	p.Exe = readlink(dir + "exe")
	name, ppid, ok := parseStat(dir + "stat")
	if ok {
		p.Name = name
	} else if comm, err := readSmall(dir + "comm"); err == nil {
		p.Name = strings.TrimSuffix(comm, "\n")
	}
	return p, ppid
}

// readSmall reads a small /proc file in one read. It calls the kernel
// directly: this runs on every credential call, and an *os.File would
// cost four fcntl calls and a failed epoll registration per file on top of
// open, read and close (os.ReadFile a stat and a second read as well).
func readSmall(path string) (string, error) {
	fd, err := open(path)
	if err != nil {
		return "", err
	}
	defer syscall.Close(fd)
	var buf [1024]byte
	n, err := read(fd, buf[:])
	return string(buf[:n]), err
}

func open(path string) (int, error) {
	for {
		fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			return fd, err
		}
	}
}

func read(fd int, buf []byte) (int, error) {
	for {
		n, err := syscall.Read(fd, buf)
		if err != syscall.EINTR {
			return max(n, 0), err
		}
	}
}

// readlink is os.Readlink without its retries on a short buffer: an
// executable's path is at most PATH_MAX (4096) bytes. It is "" when the
// link cannot be read.
func readlink(path string) string {
	var buf [4096]byte
	for {
		n, err := syscall.Readlink(path, buf[:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil || n <= 0 || n >= len(buf) {
			return ""
		}
		return string(buf[:n])
	}
}

// parseStat reads the command name and the parent pid from
// /proc/<pid>/stat; ok is false when it cannot be read or parsed.
func parseStat(path string) (name string, ppid int, ok bool) {
	s, err := readSmall(path)
	if err != nil {
		return "", 0, false
	}
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || end < open {
		return "", 0, false
	}
	fields := strings.Fields(s[end+1:])
	if len(fields) < 2 {
		return "", 0, false
	}
	ppid, _ = strconv.Atoi(fields[1])
	return s[open+1 : end], ppid, true
}
