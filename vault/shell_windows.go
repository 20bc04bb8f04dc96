//go:build windows

package vault

import "os/exec"

// killGroupOnCancel keeps exec's default on Windows: the process is killed
// when its context ends.
func killGroupOnCancel(*exec.Cmd) {}
