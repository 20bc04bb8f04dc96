//go:build !windows

package process

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// LookPath finds a command as exec.LookPath does; where that only says
// "not found" for a bare name, it says so when a file of that name is on
// PATH but cannot be run (as a shell reports "permission denied"), naming
// the file. The error is an *exec.Error in every case.
func LookPath(name string) (string, error) {
	path, err := exec.LookPath(name)
	if err == nil || !errors.Is(err, exec.ErrNotFound) || strings.Contains(name, "/") {
		return path, err
	}
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		if dir == "" {
			dir = "."
		}
		file := filepath.Join(dir, name)
		if st, serr := os.Stat(file); serr == nil && !st.IsDir() {
			return "", &exec.Error{Name: name, Err: fmt.Errorf("%s is not executable", file)}
		}
	}
	return path, err
}
