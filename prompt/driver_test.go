package prompt

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func TestSelect(t *testing.T) {
	all := []string{"zenity", "terminal", "ykman", "osascript", "kdialog"}
	tests := []struct {
		name      string
		requested string
		available []string
		stdoutTTY bool
		want      string
	}{
		{"requested wins", "zenity", all, true, "zenity"},
		{"requested terminal while piped", "terminal", all, false, "terminal"},
		{"stdout a terminal", "", all, true, "terminal"},
		{"piped: first non-terminal", "", all, false, "kdialog"},
		{"piped: osascript before zenity", "", []string{"zenity", "osascript", "terminal"}, false, "osascript"},
		{"piped: ykman before zenity", "", []string{"terminal", "zenity", "ykman"}, false, "ykman"},
		{"piped: wincredui before ykman", "", []string{"terminal", "ykman", "wincredui"}, false, "wincredui"},
		{"piped: nothing but terminal", "", []string{"terminal"}, false, "terminal"},
		{"piped: empty list", "", nil, false, "terminal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := slices.Clone(tt.available)
			if got := Select(tt.requested, tt.available, tt.stdoutTTY); got != tt.want {
				t.Errorf("Select(%q, %v, %v) = %q, want %q", tt.requested, tt.available, tt.stdoutTTY, got, tt.want)
			}
			if !slices.Equal(in, tt.available) {
				t.Errorf("Select changed its input: %v", tt.available)
			}
		})
	}
}

func TestAvailable(t *testing.T) {
	onPath := map[string]bool{"zenity": true, "ykman": true, "kdialog": true}
	lookPath := func(name string) (string, error) {
		if onPath[name] {
			return "/usr/bin/" + name, nil
		}
		return "", errors.New("not found")
	}
	want := []string{"kdialog", "terminal", "ykman", "zenity"}
	if runtime.GOOS == "windows" {
		want = []string{"kdialog", "terminal", "wincredui", "ykman", "zenity"}
	}
	if got := Available(lookPath); !slices.Equal(got, want) {
		t.Errorf("Available = %v, want %v", got, want)
	}
	none := func(string) (string, error) { return "", errors.New("not found") }
	if got := Available(none); !slices.Contains(got, "terminal") {
		t.Errorf("Available without programs = %v, want terminal in it", got)
	}
}

func TestNew(t *testing.T) {
	for _, name := range []string{"terminal", "kdialog", "osascript", "ykman", "zenity"} {
		if d, err := New(name, Options{}); err != nil || d == nil {
			t.Errorf("New(%q) = %v, %v", name, d, err)
		}
	}
	if _, err := New("pass", Options{}); err == nil || !strings.Contains(err.Error(), `"pass"`) {
		t.Errorf("New(pass) error = %v", err)
	}
}

func TestCheckCode(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"123456", "123456", true},
		{"  012345\n", "012345", true},
		{"123 456", "123456", true},
		{"12345", "", false},
		{"1234567", "", false},
		{"12a456", "", false},
		{"", "", false},
		{"Touch your key\n123456", "", false},
		{"١٢٣٤٥٦", "", false}, // non-ASCII digits
	}
	for _, tt := range tests {
		got, err := CheckCode(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("CheckCode(%q) = %q, %v", tt.in, got, err)
		}
		if err != nil && strings.Contains(err.Error(), tt.in) && tt.in != "" {
			t.Errorf("CheckCode(%q) error %q echoes the answer", tt.in, err)
		}
	}
}

func TestTerminalDriver(t *testing.T) {
	const serial = "arn:aws:iam::111111111111:mfa/alice"
	tests := []struct {
		typed, want, wantErr string
	}{
		{"123456\n", "123456", ""},
		{" 654321 \r\n", "654321", ""},
		{"\n", "", "no MFA code entered for " + serial},
		{"12x456\n", "", "the answer for " + serial + " is not an MFA code (6 digits)"},
	}
	for _, tt := range tests {
		tty := newFakeTTY(tt.typed)
		d, _ := New(TerminalDriver, Options{OpenTTY: tty.opener()})
		got, err := d.MFACode(context.Background(), serial)
		if got != tt.want || errString(err) != tt.wantErr {
			t.Errorf("typed %q: got %q, %v; want %q, %q", tt.typed, got, err, tt.want, tt.wantErr)
		}
		if out := tty.output(); out != "Enter MFA code for "+serial+": " {
			t.Errorf("typed %q: terminal shows %q", tt.typed, out)
		}
	}
	d, _ := New(TerminalDriver, Options{OpenTTY: noTTY})
	if _, err := d.MFACode(context.Background(), serial); !errors.Is(err, ErrNoTerminal) {
		t.Errorf("no terminal: error %v, want ErrNoTerminal", err)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
