//go:build !windows

package cli_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/awsvault/aws-vault/vault"
)

// 50 concurrent exec --json calls leave 50 whole lines in the issuance
// log: 25 for a plain key's session (one fetched, 24 from the cache), and
// 25 for a profile whose name makes its lines longer than PIPE_BUF (4096
// bytes, the size below which even a pipe keeps writes whole); each line
// is one write with O_APPEND.
func TestConcurrentIssuanceLines(t *testing.T) {
	f := newFlight(t)
	long := "team-" + strings.Repeat("x", 5000)
	const processCreds = `{"Version":1,"AccessKeyId":"AKIAPROCESS000000LONG","SecretAccessKey":"processSecret"}`
	appendFile(t, filepath.Join(f.home, "creds.json"), processCreds)
	appendFile(t, filepath.Join(f.home, "config"), "\n[profile "+long+"]\ncredential_process = cat \"$HOME/creds.json\"\n")
	res := f.parallel(50, func(i int) []string { return []string{"exec", "--json", []string{"plain", long}[i%2]} })
	keys := map[string]string{}
	for i, r := range res {
		var out struct {
			AccessKeyID string `json:"AccessKeyId"`
		}
		if r.err != nil || json.Unmarshal([]byte(r.stdout), &out) != nil {
			t.Fatalf("caller %d: %v %q %s", i, r.err, r.stdout, r.stderr)
		}
		profile := []string{"plain", long}[i%2]
		if keys[profile] != "" && keys[profile] != out.AccessKeyID {
			t.Fatalf("caller %d got other credentials", i)
		}
		keys[profile] = out.AccessKeyID
	}
	data, err := os.ReadFile(filepath.Join(f.home, ".awsvault", "audit.log"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(data, []byte("\n")) {
		t.Error("the log does not end with a newline")
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	lines, fetched := map[string]int{}, 0
	for n := 1; sc.Scan(); n++ {
		var rec vault.Issuance
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&rec); err != nil || dec.More() {
			t.Fatalf("line %d is not one whole record (%v): %.120q...", n, err, sc.Bytes())
		}
		lines[rec.Profile]++
		if rec.Profile == long && len(sc.Bytes()) <= 4096 {
			t.Errorf("line %d is %d bytes: too short to prove anything", n, len(sc.Bytes()))
		}
		if id := keys[rec.Profile]; rec.Command != "exec" || rec.Output != "json" || rec.KeyIDLast4 != id[len(id)-4:] || rec.Caller.PID != os.Getpid() {
			t.Errorf("line %d: %s %s key %s caller %+v", n, rec.Command, rec.Output, rec.KeyIDLast4, rec.Caller)
		}
		if rec.Profile == "plain" && !rec.Steps[len(rec.Steps)-1].Cached {
			fetched++
		}
	}
	if lines["plain"] != 25 || lines[long] != 25 || len(lines) != 2 {
		t.Errorf("%d lines for plain, %d for the long profile, %d profiles; want 25, 25, 2", lines["plain"], lines[long], len(lines))
	}
	if fetched != 1 {
		t.Errorf("%d lines say plain's session was fetched, want 1 (the others were served from the cache)", fetched)
	}
	if bytes.Contains(data, []byte("processSecret")) || bytes.Contains(data, []byte(keys["plain"])) {
		t.Error("the log holds a secret or a full key id")
	}
}

func appendFile(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}
