//go:build !windows

package cli

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

// proxyCommand is `sudo -b <exe> proxy`; as root already, <exe> proxy in
// a session of its own (what sudo -b does), so that a machine without
// sudo, as many containers are, can run it too. detached says the
// command returns while the proxy goes on in the background.
func proxyCommand(s *session, exe string, args []string) (cmd *exec.Cmd, detached bool, err error) {
	if os.Geteuid() == 0 {
		cmd = exec.Command(exe, args...)
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		return cmd, false, nil
	}
	sudo, err := s.LookPath("sudo")
	if err != nil {
		return nil, false, fmt.Errorf("the EC2 metadata server needs sudo to start its proxy on 169.254.169.254:80 as root: %w", err)
	}
	return exec.Command(sudo, append([]string{"-b", exe}, args...)...), true, nil
}
