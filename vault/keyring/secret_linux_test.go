package keyring

import (
	"os"
	"strings"
	"testing"
)

// vmLocked is this process's locked memory, as /proc reports it.
func vmLocked(t *testing.T) string {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmLck:"); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Fatal("no VmLck in /proc/self/status")
	return ""
}

// Secrets are held in locked memory (where the limit allows: root, or a
// RLIMIT_MEMLOCK above a page, as on most systems), released when freed.
func TestLockedBytes(t *testing.T) {
	before := vmLocked(t)
	b, free := lockedBytes(100)
	if len(b) != 100 {
		t.Fatalf("len %d", len(b))
	}
	copy(b, "secret")
	during := vmLocked(t)
	if during == before && os.Getuid() == 0 {
		t.Fatalf("VmLck stayed %s: the memory is not locked", before)
	}
	free()
	if after := vmLocked(t); after != before {
		t.Errorf("VmLck %s after free, %s before", after, before)
	}
	t.Logf("VmLck before %s, while held %s", before, during)
}
