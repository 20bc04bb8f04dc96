// Package errtree walks the tree of errors an error wraps: the one walker
// for code that must see every error in it (hints, AWS messages), where
// errors.As would stop at the first match.
package errtree

// Walk calls visit with err and then, depth first and in order, with every
// error it wraps through Unwrap() error or Unwrap() []error. A nil err is
// not visited.
func Walk(err error, visit func(error)) {
	if err == nil {
		return
	}
	visit(err)
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		Walk(u.Unwrap(), visit)
	case interface{ Unwrap() []error }:
		for _, inner := range u.Unwrap() {
			Walk(inner, visit)
		}
	}
}
