package vaulttest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// The aws-vault release the project is a drop-in replacement for, as
// make bench builds it (bench.sh).
const (
	referenceModule  = "github.com/99designs/aws-vault/v7"
	referenceVersion = "v7.2.0"
)

// ReferenceBinary returns aws-vault v7.2.0, built as make bench builds it
// (vault/vaulttest/bench.sh): from the Go module proxy, -trimpath, on
// Linux without cgo, into $AWS_VAULT_BENCH_CACHE (default
// ~/.cache/aws-vault-bench) where bench.sh finds it too. A build already
// there is used as it is. The error says why there is none (the module
// proxy unreachable, say), for a test to skip or fail with.
func ReferenceBinary(ctx context.Context) (string, error) {
	cache := os.Getenv("AWS_VAULT_BENCH_CACHE")
	if cache == "" {
		dir := os.Getenv("XDG_CACHE_HOME")
		if dir == "" {
			home, err := os.UserHomeDir()
			if err != nil {
				return "", err
			}
			dir = filepath.Join(home, ".cache")
		}
		cache = filepath.Join(dir, "aws-vault-bench")
	}
	name := "aws-vault-" + referenceVersion
	cgo := "CGO_ENABLED=1"
	if runtime.GOOS == "linux" {
		name, cgo = name+"-nocgo", "CGO_ENABLED=0"
	}
	bin := filepath.Join(cache, name)
	if st, err := os.Stat(bin); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
		return bin, nil
	}
	return bin, buildReference(ctx, cache, bin, cgo)
}

// buildReference downloads the module (outside any module, so no go.mod
// changes) and builds it into bin, atomically.
func buildReference(ctx context.Context, cache, bin, cgo string) error {
	tmp, err := os.MkdirTemp("", "aws-vault-ref")
	if err != nil {
		return err
	}
	defer func() { _ = exec.Command("chmod", "-R", "u+w", tmp).Run(); _ = os.RemoveAll(tmp) }()
	env := append(os.Environ(), "GOFLAGS=", "GOWORK=off")
	download := exec.CommandContext(ctx, "go", "mod", "download", "-json", referenceModule+"@"+referenceVersion)
	download.Dir, download.Env = tmp, env
	out, err := download.Output()
	var mod struct{ Dir, Error string }
	_ = json.Unmarshal(out, &mod)
	if err != nil || mod.Dir == "" {
		why := mod.Error
		if why == "" {
			why = fmt.Sprint(err)
		}
		return fmt.Errorf("go mod download %s@%s failed (offline?): %s", referenceModule, referenceVersion, why)
	}
	src := filepath.Join(tmp, "src")
	if out, err := exec.CommandContext(ctx, "cp", "-R", mod.Dir, src).CombinedOutput(); err != nil {
		return fmt.Errorf("copying the module: %v: %s", err, out)
	}
	_ = exec.Command("chmod", "-R", "u+w", src).Run()
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return err
	}
	part := bin + fmt.Sprintf(".%d.tmp", os.Getpid())
	build := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", "-X main.Version="+referenceVersion, "-o", part, ".")
	build.Dir, build.Env = src, append(env, cgo)
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("building %s@%s failed: %v: %s", referenceModule, referenceVersion, err, strings.TrimSpace(string(out)))
	}
	if err := os.Rename(part, bin); err != nil {
		return errors.Join(err, os.Remove(part))
	}
	return nil
}
