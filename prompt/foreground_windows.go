//go:build windows

package prompt

// ForegroundOnly is open: a Windows console has no background process
// groups.
func ForegroundOnly(open TTYOpener) TTYOpener { return open }
