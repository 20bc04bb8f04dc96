//go:build darwin || freebsd || openbsd || netbsd || dragonfly

package server

// aliasAddCommand is `ifconfig lo0 alias 169.254.169.254`.
func aliasAddCommand() ([]string, error) {
	return []string{"/sbin/ifconfig", "lo0", "alias", MetadataIP}, nil
}

// aliasRemoveCommand is `ifconfig lo0 -alias 169.254.169.254`.
func aliasRemoveCommand() ([]string, error) {
	return []string{"/sbin/ifconfig", "lo0", "-alias", MetadataIP}, nil
}
