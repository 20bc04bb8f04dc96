package prompt

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/awsvault/aws-vault/internal/proc"
)

const aliceSerial = "arn:aws:iam::111111111111:mfa/alice"

func TestDialogArgs(t *testing.T) {
	msg := Message(aliceSerial)
	tests := map[string][]string{
		"zenity":  {"--entry", "--title", "aws-vault", "--text", msg},
		"kdialog": {"--inputbox", msg, "--title", "aws-vault"},
		"osascript": {"-e", `text returned of (display dialog "Enter MFA code for arn:aws:iam::111111111111:mfa/alice: " ` +
			`default answer "" buttons {"OK", "Cancel"} default button "OK")`},
	}
	for program, want := range tests {
		r := answers("123456\n")
		d, _ := New(program, Options{Runner: r})
		code, err := d.MFACode(context.Background(), aliceSerial)
		if err != nil || code != "123456" {
			t.Errorf("%s: %q, %v", program, code, err)
		}
		c := r.cmds[0]
		if c.Path != program || !slices.Equal(c.Args, want) {
			t.Errorf("%s ran %s %q, want %q", program, c.Path, c.Args, want)
		}
		if c.Stdin != nil || c.Stderr != nil || c.Terminal {
			t.Errorf("%s: dialog connected to stdin/stderr/terminal: %+v", program, c)
		}
	}
}

func TestAppleStringQuotes(t *testing.T) {
	if got, want := appleString(`a"b\c`), `"a\"b\\c"`; got != want {
		t.Errorf("appleString = %s, want %s", got, want)
	}
}

func TestDialogFailures(t *testing.T) {
	tests := []struct {
		name    string
		runner  *fakeRunner
		wantErr string
	}{
		{"cancel", fails(1), "MFA prompt cancelled (zenity exited with status 1)"},
		{"junk", answers("hunter2\n"), "the answer typed in zenity is not an MFA code (6 digits)"},
		{"empty", answers(""), "the answer typed in zenity is not an MFA code (6 digits)"},
		{"hang", hangs(), "MFA prompt zenity gave no answer within 50ms and was stopped"},
		{"too much", &fakeRunner{run: func(context.Context, proc.Command) ([]byte, error) { return nil, ErrOutputTooLarge }},
			"MFA prompt zenity printed more than 4096 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, _ := New(ZenityDriver, Options{Runner: tt.runner, Timeout: 50 * time.Millisecond})
			code, err := d.MFACode(context.Background(), aliceSerial)
			if code != "" || errString(err) != tt.wantErr {
				t.Errorf("got %q, %v; want error %q", code, err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error echoes the answer: %v", err)
			}
		})
	}
}

func TestDialogInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	d, _ := New(KDialogDriver, Options{Runner: hangs()})
	if _, err := d.MFACode(ctx, aliceSerial); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}
