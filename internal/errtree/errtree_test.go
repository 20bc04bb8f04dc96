package errtree

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

// Walk visits an error, what it wraps (one error or several, nested), in
// depth-first order, and skips nil members.
func TestWalk(t *testing.T) {
	a, b, c := errors.New("a"), errors.New("b"), errors.New("c")
	wrappedB := fmt.Errorf("wrapped: %w", b)
	joined := errors.Join(a, nil, wrappedB)
	top := fmt.Errorf("top: %w and %w", joined, c)
	var got []error
	Walk(top, func(err error) { got = append(got, err) })
	if want := []error{top, joined, a, wrappedB, b, c}; !slices.Equal(got, want) {
		t.Errorf("visited %q, want %q", got, want)
	}
	Walk(nil, func(err error) { t.Errorf("visited %v for nil", err) })
	Walk(fmt.Errorf("no wrap: %v", a), func(err error) {
		if err == a {
			t.Error("visited an error formatted into the message, not wrapped")
		}
	})
}
