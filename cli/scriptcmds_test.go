package cli_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	jose "github.com/dvsekhvalnov/jose2go"
	"github.com/rogpeppe/go-internal/testscript"
)

func scriptCommands() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"cpdir":     cmdCpdir,
		"snapshot":  cmdSnapshot,
		"perm":      cmdPerm,
		"jwe":       cmdJWE,
		"awscalls":  cmdAWSCalls,
		"totp":      cmdTOTP,
		"awsfault":  cmdAWSFault,
		"forgetmfa": cmdForgetMFA,
	}
}

// cpdir SRC DST copies a directory tree, making the copy writable.
func cmdCpdir(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: cpdir src dst")
	}
	src, dst := ts.MkAbs(args[0]), ts.MkAbs(args[1])
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o700)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o600)
	})
	ts.Check(err)
}

// snapshot save NAME | snapshot check NAME: record the contents of $HOME
// and later assert nothing in it changed (keyring and config untouched).
func cmdSnapshot(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: snapshot save|check name")
	}
	home := ts.Getenv("HOME")
	got := treeDigest(ts, home)
	file := ts.MkAbs(".snapshot-" + args[1])
	switch args[0] {
	case "save":
		ts.Check(os.WriteFile(file, []byte(got), 0o600))
	case "check":
		want, err := os.ReadFile(file)
		ts.Check(err)
		if same := string(want) == got; same == neg {
			ts.Fatalf("$HOME changed=%v since snapshot %s:\nbefore:\n%s\nafter:\n%s", !same, args[1], want, got)
		}
	default:
		ts.Fatalf("usage: snapshot save|check name")
	}
}

func treeDigest(ts *testscript.TestScript, root string) string {
	var lines []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "locks" {
			return filepath.SkipDir // lock files hold a pid, never state
		}
		if name := d.Name(); name == "audit.log" || name == "audit.log.1" {
			return nil // the issuance log records calls, by design
		}
		if d.IsDir() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		rel, _ := filepath.Rel(root, path)
		lines = append(lines, rel+" "+hex.EncodeToString(sum[:8]))
		return nil
	})
	ts.Check(err)
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// perm MODE FILE asserts a file's permission bits (octal).
func cmdPerm(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: perm mode file")
	}
	want, err := strconv.ParseUint(args[0], 8, 32)
	ts.Check(err)
	st, err := os.Stat(ts.MkAbs(args[1]))
	ts.Check(err)
	if got := uint64(st.Mode().Perm()); (got == want) == neg {
		ts.Fatalf("%s has mode %o, want %o", args[1], got, want)
	}
}

// jwe PASSPHRASE FILE decrypts a file-backend item and prints its JSON
// structure with values of Data and created replaced, for comparison.
func cmdJWE(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: jwe passphrase file")
	}
	token, err := os.ReadFile(ts.MkAbs(args[1]))
	ts.Check(err)
	payload, headers, err := jose.Decode(string(token), args[0])
	ts.Check(err)
	var item map[string]any
	ts.Check(json.Unmarshal([]byte(payload), &item))
	data, _ := item["Data"].(string)
	item["Data"] = "BASE64"
	out, _ := json.Marshal(item)
	fmt.Fprintf(ts.Stdout(), "item %s\n", out)
	fmt.Fprintf(ts.Stdout(), "header alg=%v enc=%v p2c=%v created=%t p2s=%t\n",
		headers["alg"], headers["enc"], headers["p2c"], headers["created"] != nil, headers["p2s"] != nil)
	fmt.Fprintf(ts.Stdout(), "data %s\n", payloadFields(ts, data))
}

// payloadFields lists the JSON field names of the base64 payload, in order.
func payloadFields(ts *testscript.TestScript, data string) string {
	raw, err := decodeStd(data)
	ts.Check(err)
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	var names []string
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch v := tok.(type) {
		case json.Delim:
			if v == '{' || v == '[' {
				depth++
			} else {
				depth--
			}
		case string:
			if depth == 1 && dec.More() {
				names = append(names, v)
				dec.Token() // skip the value
			}
		}
	}
	return strings.Join(names, ",")
}

func decodeStd(s string) ([]byte, error) { return base64.StdEncoding.DecodeString(s) }

// forgetmfa removes aws-vault's memory of the MFA steps used, for scripts
// that make several independent MFA calls within 30 seconds (each would
// otherwise wait for the next code, as it should for a user).
func cmdForgetMFA(ts *testscript.TestScript, neg bool, args []string) {
	files, _ := filepath.Glob(filepath.Join(ts.Getenv("HOME"), ".awsvault", "locks", "mfa-*.step"))
	for _, f := range files {
		ts.Check(os.Remove(f))
	}
}
