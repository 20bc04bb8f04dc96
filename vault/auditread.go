package vault

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"slices"

	"github.com/awsvault/aws-vault/internal/regularfile"
)

// maxAuditLine is the longest line ReadAuditLog keeps; a longer one is
// reported as malformed (aws-vault writes lines of a few hundred bytes).
const maxAuditLine = 1 << 20

// AuditEntry is one line of the issuance log as read back.
type AuditEntry struct {
	Issuance
	// Raw is the line as stored, without its newline.
	Raw []byte
	// File and Line say where it is (Line counts from 1).
	File string
	Line int
	// Malformed says the line is not a record aws-vault wrote (cut short
	// by a crash or a full disk, or written by something else); only
	// File and Line are then set.
	Malformed bool
}

// ReadAuditLog reads the issuance log at path, its rotated part
// (path+".1") first, oldest line first. Missing files are no error; a
// malformed line is returned as such and reading goes on.
func ReadAuditLog(path string) ([]AuditEntry, error) {
	var all []AuditEntry
	for _, p := range []string{path + ".1", path} {
		entries, err := readAuditFile(p)
		if err != nil {
			return nil, err
		}
		all = append(all, entries...)
	}
	sortAuditEntries(all)
	return all, nil
}

func readAuditFile(path string) ([]AuditEntry, error) {
	f, err := regularfile.Open(path, false)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 64<<10)
	var out []AuditEntry
	for n := 1; ; n++ {
		line, tooLong, err := readAuditLine(r)
		if len(line) == 0 && !tooLong && err == io.EOF {
			return out, nil
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		out = append(out, parseAuditLine(path, n, line, tooLong))
		if err == io.EOF {
			return out, nil
		}
	}
}

// readAuditLine reads one line without its newline; of a line longer than
// maxAuditLine it keeps nothing and reports it too long.
func readAuditLine(r *bufio.Reader) ([]byte, bool, error) {
	var line []byte
	tooLong := false
	for {
		part, err := r.ReadSlice('\n')
		if !tooLong {
			line = append(line, part...)
			if len(line) > maxAuditLine {
				line, tooLong = nil, true
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return bytes.TrimSuffix(line, []byte("\n")), tooLong, err
	}
}

func parseAuditLine(path string, n int, line []byte, tooLong bool) AuditEntry {
	e := AuditEntry{Raw: line, File: path, Line: n}
	dec := json.NewDecoder(bytes.NewReader(line))
	if tooLong || dec.Decode(&e.Issuance) != nil || dec.More() || e.Time.IsZero() || e.Command == "" {
		return AuditEntry{Raw: line, File: path, Line: n, Malformed: true}
	}
	return e
}

// sortAuditEntries orders the entries by time, oldest first: a process
// that opened the log just before another rotated it writes its line to
// the rotated part. A malformed line keeps its place after the line
// before it.
func sortAuditEntries(entries []AuditEntry) {
	var last AuditEntry
	keys := make([]AuditEntry, len(entries))
	for i, e := range entries {
		if !e.Malformed {
			last = e
		}
		keys[i] = last
	}
	idx := make([]int, len(entries))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return keys[a].Time.Compare(keys[b].Time) })
	sorted := make([]AuditEntry, len(entries))
	for i, j := range idx {
		sorted[i] = entries[j]
	}
	copy(entries, sorted)
}
