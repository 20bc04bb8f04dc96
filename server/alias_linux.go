package server

import "os"

// aliasAddCommand is `ip addr add 169.254.169.254/24 dev lo label lo:0`.
func aliasAddCommand() ([]string, error) {
	return []string{ipCommand(), "addr", "add", MetadataIP + "/24", "dev", "lo", "label", "lo:0"}, nil
}

// aliasRemoveCommand is `ip addr del 169.254.169.254/24 dev lo label lo:0`.
func aliasRemoveCommand() ([]string, error) {
	return []string{ipCommand(), "addr", "del", MetadataIP + "/24", "dev", "lo", "label", "lo:0"}, nil
}

// ipCommand is iproute2's ip by absolute path where it is found, so that
// the root helper does not run whatever an inherited PATH names first.
func ipCommand() string {
	for _, p := range []string{"/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"} {
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	return "ip"
}
