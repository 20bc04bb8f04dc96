package prompt

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
)

func TestYKManArgs(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{nil, "oath accounts code --single " + aliceSerial},
		{map[string]string{"YKMAN_OATH_CREDENTIAL_NAME": "aws:alice"}, "oath accounts code --single aws:alice"},
		{map[string]string{"YKMAN_OATH_DEVICE_SERIAL": "12345678"}, "--device 12345678 oath accounts code --single " + aliceSerial},
		{map[string]string{"AWS_VAULT_YKMAN_VERSION": "1"}, "oath code --single " + aliceSerial},
		{map[string]string{"AWS_VAULT_YKMAN_VERSION": "2"}, "oath code --single " + aliceSerial},
		{map[string]string{"AWS_VAULT_YKMAN_VERSION": "3", "YKMAN_OATH_DEVICE_SERIAL": "9"}, "--device 9 oath code --single " + aliceSerial},
		{map[string]string{"AWS_VAULT_YKMAN_VERSION": "4"}, "oath accounts code --single " + aliceSerial},
		{map[string]string{"AWS_VAULT_YKMAN_VERSION": "5.2"}, "oath accounts code --single " + aliceSerial},
	}
	for _, tt := range tests {
		got := strings.Join(ykmanArgs(func(k string) string { return tt.env[k] }, aliceSerial), " ")
		if got != tt.want {
			t.Errorf("env %v: ykman %s, want %s", tt.env, got, tt.want)
		}
	}
}

func TestYKManWithTerminal(t *testing.T) {
	tty := newFakeTTY("")
	r := answers("123456\n")
	var stderr bytes.Buffer
	d, _ := New(YKManDriver, Options{OpenTTY: tty.opener(), Runner: r, Stderr: &stderr})
	code, err := d.MFACode(context.Background(), aliceSerial)
	if err != nil || code != "123456" {
		t.Fatalf("got %q, %v", code, err)
	}
	c := r.cmds[0]
	if c.Path != "ykman" || c.Stdin != TTY(tty) || c.Stderr != TTY(tty) || !c.Terminal {
		t.Errorf("ykman not on the terminal: %+v", c)
	}
	if out := tty.output(); !strings.Contains(out, "YubiKey") || !strings.Contains(out, aliceSerial) {
		t.Errorf("terminal shows %q, want the touch notice", out)
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr got %q", stderr.String())
	}
}

func TestYKManWithoutTerminal(t *testing.T) {
	r := fails(1)
	var stderr bytes.Buffer
	env := map[string]string{"YKMAN_OATH_CREDENTIAL_NAME": "aws-alice"}
	d, _ := New(YKManDriver, Options{OpenTTY: noTTY, Runner: r, Stderr: &stderr, Getenv: func(k string) string { return env[k] }})
	_, err := d.MFACode(context.Background(), aliceSerial)
	want := `ykman exited with status 1 (no YubiKey, or no OATH account "aws-alice" on it? YKMAN_OATH_CREDENTIAL_NAME names the account)`
	if errString(err) != want {
		t.Errorf("error %v, want %s", err, want)
	}
	c := r.cmds[0]
	if c.Stdin != nil || c.Stderr != &stderr || c.Terminal {
		t.Errorf("without a terminal: %+v", c)
	}
	if !slices.Equal(c.Args, []string{"oath", "accounts", "code", "--single", "aws-alice"}) {
		t.Errorf("args %q", c.Args)
	}
}
