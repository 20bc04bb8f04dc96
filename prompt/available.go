package prompt

import (
	"runtime"
	"sort"
)

// Available lists the prompt drivers usable here, sorted: terminal always,
// wincredui on Windows, and each dialog or device driver whose program
// lookPath finds.
func Available(lookPath func(string) (string, error)) []string {
	out := []string{TerminalDriver}
	if runtime.GOOS == "windows" {
		out = append(out, WinCredUIDriver)
	}
	// These drivers run a program of the same name.
	for _, name := range []string{KDialogDriver, OSAScriptDriver, YKManDriver, ZenityDriver} {
		if _, err := lookPath(name); err == nil {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}
