//go:build unix

package coredump

import "golang.org/x/sys/unix"

// limit is the RLIMIT_CORE the process started with.
type limit struct {
	rlim unix.Rlimit
	ok   bool
}

func disable() limit {
	var l limit
	if unix.Getrlimit(unix.RLIMIT_CORE, &l.rlim) == nil {
		l.ok = true
		l.lower()
	}
	undumpable()
	return l
}

func (l limit) valid() bool { return l.ok }

// lower sets the soft limit to 0 and keeps the hard limit, so that the
// original soft limit can be given back without privileges.
func (l limit) lower() { _ = unix.Setrlimit(unix.RLIMIT_CORE, &unix.Rlimit{Cur: 0, Max: l.rlim.Max}) }

func (l limit) restore() { _ = unix.Setrlimit(unix.RLIMIT_CORE, &l.rlim) }
