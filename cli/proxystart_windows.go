package cli

import "os/exec"

// proxyCommand is <exe> proxy, as aws-vault v7 starts it on Windows (from
// an Administrator prompt).
func proxyCommand(_ *session, exe string, args []string) (cmd *exec.Cmd, detached bool, err error) {
	return exec.Command(exe, args...), false, nil
}
