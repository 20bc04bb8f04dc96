package server

import (
	"os"
	"path/filepath"
)

// loopbackInterface is the name Windows gives its loopback interface.
const loopbackInterface = "Loopback Pseudo-Interface 1"

// aliasAddCommand is `netsh interface ipv4 add address "Loopback
// Pseudo-Interface 1" 169.254.169.254 255.255.0.0`.
func aliasAddCommand() ([]string, error) {
	return []string{netshCommand(), "interface", "ipv4", "add", "address", loopbackInterface, MetadataIP, "255.255.0.0"}, nil
}

// aliasRemoveCommand deletes that address again.
func aliasRemoveCommand() ([]string, error) {
	return []string{netshCommand(), "interface", "ipv4", "delete", "address", loopbackInterface, MetadataIP, "255.255.0.0"}, nil
}

// netshCommand is netsh.exe in the system directory, not whatever PATH
// names first.
func netshCommand() string {
	if root := os.Getenv("SystemRoot"); root != "" {
		return filepath.Join(root, "System32", "netsh.exe")
	}
	return "netsh"
}
