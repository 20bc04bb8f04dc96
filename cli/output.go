package cli

import (
	"fmt"
	"io"
)

// printed renders what the core reports (vault.Reporter) the way aws-vault
// prints it: progress lines on stdout, notes and warnings on stderr with
// their prefixes. cli's own notes and warnings go through it too.
type printed struct{ stdout, stderr io.Writer }

// Progress prints a line of the command's output.
func (p printed) Progress(msg string) { fmt.Fprintln(p.stdout, msg) }

// Note prints "aws-vault: note: msg" on stderr.
func (p printed) Note(msg string) { fmt.Fprintf(p.stderr, "aws-vault: note: %s\n", msg) }

// Warning prints "aws-vault: warning: msg" on stderr.
func (p printed) Warning(msg string) { fmt.Fprintf(p.stderr, "aws-vault: warning: %s\n", msg) }
