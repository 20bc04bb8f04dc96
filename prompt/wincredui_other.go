//go:build !windows

package prompt

import "errors"

// newWinCredUI fails: the Credential UI dialog exists only on Windows.
func newWinCredUI(Options) (Driver, error) {
	return nil, errors.New("the wincredui prompt is only available on Windows")
}
