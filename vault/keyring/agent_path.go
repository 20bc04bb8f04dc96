package keyring

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
)

// AgentDir is the directory of the agents' sockets: aws-vault under
// $XDG_RUNTIME_DIR (a directory of the user's that the system empties at
// logout), else ~/.awsvault/agent. It is not created here.
func AgentDir(runtimeDir, home string) string {
	if runtimeDir != "" && filepath.IsAbs(runtimeDir) {
		return filepath.Join(runtimeDir, "aws-vault")
	}
	return filepath.Join(home, ".awsvault", "agent")
}

// AgentSocket is the socket of the agent serving keyringDir: one agent per
// keyring directory, named by a digest of the directory's cleaned absolute
// path.
func AgentSocket(agentDir, keyringDir string) (string, error) {
	abs, err := filepath.Abs(keyringDir)
	if err != nil {
		return "", fmt.Errorf("file keyring directory %s: %w", keyringDir, err)
	}
	sum := sha256.Sum256([]byte(filepath.Clean(abs)))
	socket := filepath.Join(agentDir, "agent-"+hex.EncodeToString(sum[:8])+".sock")
	if len(socket) > maxSocketPath {
		return "", fmt.Errorf("the agent's socket %s would be %d bytes long, more than the %d a Unix socket path holds: set XDG_RUNTIME_DIR to a shorter directory",
			socket, len(socket), maxSocketPath)
	}
	return socket, nil
}

// privateDir creates dir (mode 0700) when missing and checks that it is a
// directory of this user's, not a symbolic link, that no one else can
// enter: the agent's socket goes nowhere else.
func privateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	st, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("%s has mode %04o; it must be 0700", dir, st.Mode().Perm())
	}
	return ownedByUs(dir, st)
}
