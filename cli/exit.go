package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/awsvault/aws-vault/internal/errtree"
	"github.com/awsvault/aws-vault/vault"
)

// plainError is printed without a command label or a --help suggestion.
type plainError struct{ error }

func (e plainError) Unwrap() error { return e.error }

// ExitStatusError ends aws-vault with a status and no message: the exit
// status of the user's command, passed through unchanged.
type ExitStatusError struct{ Status int }

func (e ExitStatusError) Error() string { return fmt.Sprintf("exit status %d", e.Status) }

// terminateSignal carries kingpin's requested exit status (after --help or
// --version) out of Parse.
type terminateSignal struct{ status int }

func terminate(status int) { panic(terminateSignal{status}) }

func catchTerminate(code *int) {
	if r := recover(); r != nil {
		t, ok := r.(terminateSignal)
		if !ok {
			panic(r)
		}
		*code = t.status
	}
}

// reportParseError prints a command-line error the way kingpin-based
// aws-vault does and returns the exit status.
func reportParseError(w io.Writer, err error) int {
	var plain plainError
	if errors.As(err, &plain) {
		fmt.Fprintf(w, "aws-vault: error: %s\n", plain.Error())
		return 1
	}
	fmt.Fprintf(w, "aws-vault: error: %s, try --help\n", err)
	return 1
}

// reportError is the one place where a command's error becomes a message
// and an exit status.
func reportError(w io.Writer, command string, err error) int {
	if err == nil {
		return 0
	}
	var status ExitStatusError
	if errors.As(err, &status) {
		return status.Status
	}
	var sig signalError
	if errors.As(err, &sig) {
		fmt.Fprintf(w, "aws-vault: error: %s: %s\n", command, sig.Error())
		return sig.status()
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintf(w, "aws-vault: error: %s: interrupted\n", command)
		return 130
	}
	var plain plainError
	// vault.ErrorText cuts AWS error messages to a few hundred bytes.
	if errors.As(err, &plain) {
		fmt.Fprintf(w, "aws-vault: error: %s\n", oneLine(vault.ErrorText(err)))
	} else {
		fmt.Fprintf(w, "aws-vault: error: %s: %s\n", command, oneLine(vault.ErrorText(err)))
	}
	for _, h := range hintsOf(err) {
		fmt.Fprintf(w, "aws-vault: hint: %s\n", h)
	}
	return 1
}

// hintsOf derives the hint lines of err, the only place that does: the
// distinct hints anywhere in its tree (joined errors included), in order:
// the advice a *vault.HintedError carries, and for an AWS refusal the user
// can act on (*vault.AWSRefusal) vault.Explain's advice, when it has one.
func hintsOf(err error) []string {
	var hints []string
	add := func(h string) {
		if h != "" && !slices.Contains(hints, h) {
			hints = append(hints, h)
		}
	}
	errtree.Walk(err, func(e error) {
		switch e := e.(type) {
		case *vault.HintedError:
			add(e.Hint)
		case *vault.AWSRefusal:
			add(vault.Explain(e.Err))
		}
	})
	return hints
}

// oneLine folds a multi-line error (errors.Join, AWS messages) into one
// line so every error is a single line on stderr.
func oneLine(s string) string {
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "; ")
}
