//go:build !windows

package cli

const defaultShell = "/bin/sh"
