package prompt

import (
	"runtime"
	"sort"
)

// programs maps the drivers that run a program to that program's name.
var programs = map[string]string{
	"kdialog":   "kdialog",
	"osascript": "osascript",
	"ykman":     "ykman",
	"zenity":    "zenity",
}

// Available lists the prompt drivers usable here, sorted: terminal always,
// wincredui on Windows, and each dialog or device driver whose program is on
// PATH.
func Available(lookPath func(string) (string, error)) []string {
	out := []string{"terminal"}
	if runtime.GOOS == "windows" {
		out = append(out, "wincredui")
	}
	for name, prog := range programs {
		if _, err := lookPath(prog); err == nil {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}
