//go:build !unix

package coredump

// limit is empty: core limits are left alone here (Windows has none).
type limit struct{}

func disable() limit { return limit{} }

func (limit) valid() bool { return false }

func (limit) lower() {}

func (limit) restore() {}
