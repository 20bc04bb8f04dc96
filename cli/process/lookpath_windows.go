//go:build windows

package process

import "os/exec"

// LookPath is exec.LookPath: Windows has no execute permission to report.
func LookPath(name string) (string, error) { return exec.LookPath(name) }
