package prompt

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/awsvault/aws-vault/internal/proc"
)

// dialog asks through a desktop dialog program: zenity, kdialog or
// osascript (macOS).
type dialog struct {
	program string
	o       Options
}

// dialogArgs returns the program's arguments showing message.
func dialogArgs(program, message string) []string {
	switch program {
	case ZenityDriver:
		return []string{"--entry", "--title", "aws-vault", "--text", message}
	case KDialogDriver:
		return []string{"--inputbox", message, "--title", "aws-vault"}
	}
	return []string{"-e", appleScript(message)}
}

// appleScript shows a dialog with an empty answer field and OK/Cancel
// buttons, and returns what was typed. Cancel makes osascript exit 1.
func appleScript(message string) string {
	return fmt.Sprintf(`text returned of (display dialog %s default answer "" buttons {"OK", "Cancel"} default button "OK")`,
		appleString(message))
}

// appleString quotes s as an AppleScript string literal.
func appleString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// MFACode shows the dialog. A non-zero exit (Cancel, or the dialog could not
// open) is "MFA prompt cancelled (zenity exited with status 1)"; the wait is
// bounded by the timeout. The dialog's stderr (toolkit noise) is dropped.
func (d dialog) MFACode(ctx context.Context, serial string) (string, error) {
	c := proc.Command{Path: d.program, Args: dialogArgs(d.program, Message(serial))}
	out, err := runBounded(ctx, d.o.Runner, c, d.o.timeout(), "MFA prompt "+d.program)
	var exitErr *proc.ExitError
	if errors.As(err, &exitErr) {
		return "", fmt.Errorf("MFA prompt cancelled (%s %w)", d.program, exitErr)
	}
	if err != nil {
		return "", err
	}
	code, err := CheckCode(string(out))
	if err != nil {
		return "", fmt.Errorf("the answer typed in %s %w", d.program, err)
	}
	return code, nil
}
