// Package procinfo describes the processes that started this one, for
// aws-vault's issuance log: who asked for credentials. It reads only what
// is cheap (on Linux a few small /proc files; elsewhere what one system
// call gives) and never a process's arguments or environment, which may
// hold secrets.
package procinfo

import "os"

// Process is what is known of one process; fields that could not be read
// are empty.
type Process struct {
	PID int `json:"pid"`
	// Exe is the path of its executable (for a script, the interpreter).
	Exe string `json:"exe,omitempty"`
	// Name is its command name as the OS keeps it (Linux comm: for a
	// script, the script's name, up to 15 bytes).
	Name string `json:"name,omitempty"`
}

// Callers describes this process's parent and the parent's parent. A
// process that cannot be described (gone, or not ours to read) has only
// its pid, or is zero when even that is unknown.
func Callers() (parent, grandparent Process) {
	ppid := os.Getppid()
	if ppid <= 0 {
		return Process{}, Process{}
	}
	parent, gpid := describe(ppid)
	if gpid > 0 {
		grandparent, _ = describe(gpid)
	}
	return parent, grandparent
}
