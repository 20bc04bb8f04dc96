//go:build !linux

package coredump

// limit is empty: core limits and dumpability are left alone here.
type limit struct{}

func disable() limit { return limit{} }

func (limit) valid() bool { return false }

func (limit) lower() {}

func (limit) restore() {}
