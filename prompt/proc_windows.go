//go:build windows

package prompt

import "os/exec"

// killGroupOnCancel keeps exec's default on Windows: the process is killed
// when its context ends.
func killGroupOnCancel(*exec.Cmd) {}

// shellCommand runs line through cmd.exe /C, as the maintained aws-vault
// fork does (v7.2.0 used /bin/sh even on Windows).
func shellCommand(line string) (string, []string) {
	return "cmd.exe", []string{"/C", line}
}
