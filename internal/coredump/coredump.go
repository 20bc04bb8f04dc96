// Package coredump keeps aws-vault's memory, which holds decrypted keys,
// session tokens and MFA codes while it waits on prompts and helper
// programs, out of core dumps and out of reach of the user's other
// processes, as ssh-agent does: on every Unix (Linux, macOS, the BSDs) the
// soft core file size limit is set to 0, and on Linux the process is also
// marked non-dumpable, which keeps same-user debuggers and /proc/<pid>/mem
// out. The command aws-vault exec runs gets the limit aws-vault was started
// with back (execve itself makes a new program dumpable again). On Windows
// this package does nothing.
package coredump

// Limits remembers the core file size limit the process was started with.
// The zero value remembers nothing, and ForChild then just starts.
type Limits struct{ saved limit }

// Disable sets the core file size limit of this process to 0 and marks it
// non-dumpable, returning the limits it had, for the commands it starts.
// What the system refuses is left as it was: no worse than before.
func Disable() Limits { return Limits{saved: disable()} }

// ForChild calls start, which starts the user's command or becomes it
// (execve), with the original core file size limit in force, and sets it
// back to 0 when start returns.
func (l Limits) ForChild(start func() error) error {
	if !l.saved.valid() {
		return start()
	}
	l.saved.restore()
	defer l.saved.lower()
	return start()
}
