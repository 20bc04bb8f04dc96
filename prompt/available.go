package prompt

import (
	"runtime"
	"slices"
	"sort"
)

// programDrivers run a program of the same name.
var programDrivers = []string{KDialogDriver, OSAScriptDriver, YKManDriver, ZenityDriver}

// Available lists the prompt drivers usable here, sorted: terminal always,
// wincredui on Windows, and each dialog or device driver whose program
// lookPath finds.
func Available(lookPath func(string) (string, error)) []string {
	var out []string
	for _, name := range append([]string{TerminalDriver, WinCredUIDriver}, programDrivers...) {
		if IsAvailable(name, lookPath) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// IsAvailable reports whether the driver called name is usable here,
// looking up at most its own program.
func IsAvailable(name string, lookPath func(string) (string, error)) bool {
	switch {
	case name == TerminalDriver:
		return true
	case name == WinCredUIDriver:
		return runtime.GOOS == "windows"
	case slices.Contains(programDrivers, name):
		_, err := lookPath(name)
		return err == nil
	}
	return false
}
