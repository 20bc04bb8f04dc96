//go:build windows

package cli

const defaultShell = "cmd.exe"
