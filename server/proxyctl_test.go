package server

import (
	"context"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// The secret is the first line of stdin; closed follows stdin to its end.
func TestReadProxyStdin(t *testing.T) {
	r, w := io.Pipe()
	go func() { _, _ = io.WriteString(w, proxyTestSecret+"\n") }()
	secret, closed, err := ReadProxyStdin(r, 5*time.Second)
	if err != nil || secret != proxyTestSecret {
		t.Fatalf("ReadProxyStdin = %q, %v", secret, err)
	}
	select {
	case <-closed:
		t.Fatal("closed before stdin ended")
	case <-time.After(20 * time.Millisecond):
	}
	w.Close()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("closed not closed after stdin ended")
	}

	if s, _, err := ReadProxyStdin(strings.NewReader(proxyTestSecret+"\r\n"), time.Second); err != nil || s != proxyTestSecret {
		t.Errorf("CRLF line: %q, %v", s, err)
	}
}

// A missing, late, overlong or malformed secret is an error that does not
// show what arrived.
func TestReadProxyStdinRefuses(t *testing.T) {
	const leak = "should-not-appear-in-errors"
	r, _ := io.Pipe() // never written
	for name, in := range map[string]io.Reader{
		"nothing":       strings.NewReader(""),
		"no newline":    strings.NewReader(proxyTestSecret),
		"too short":     strings.NewReader(leak[:20] + "\n"),
		"bad character": strings.NewReader(leak + "!!!!!!!!!!!!!!!!\n"),
		"too long":      strings.NewReader(strings.Repeat("a", 300) + leak + "\n"),
		"never written": r,
	} {
		_, _, err := ReadProxyStdin(in, 50*time.Millisecond)
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if strings.Contains(err.Error(), leak) || strings.Contains(err.Error(), "aaaa") {
			t.Errorf("%s: the error shows the input: %v", name, err)
		}
	}
}

// Something answering on the metadata address, or the EC2 server's
// address taken, is the one-line error naming the address.
func TestCheckEC2Ports(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	free, _ := net.Listen("tcp", "127.0.0.1:0")
	freeAddr := free.Addr().String()
	free.Close()

	if err := CheckEC2Ports(context.Background(), freeAddr, freeAddr); err != nil {
		t.Errorf("both free: %v", err)
	}
	want := "Another process is already bound to " + busy.Addr().String()
	if err := CheckEC2Ports(context.Background(), busy.Addr().String(), freeAddr); err == nil || err.Error() != want {
		t.Errorf("metadata address answering: %v, want %q", err, want)
	}
	if err := CheckEC2Ports(context.Background(), freeAddr, busy.Addr().String()); err == nil || err.Error() != want {
		t.Errorf("server address taken: %v, want %q", err, want)
	}
	if _, err := ListenEC2(busy.Addr().String()); err == nil || err.Error() != want {
		t.Errorf("ListenEC2 on a taken address: %v, want %q", err, want)
	}
}

// WaitForProxy returns once the endpoint answers, and fails naming it
// when it does not within the time given.
func TestWaitForProxy(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	err := WaitForProxy(context.Background(), addr, 100*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), addr) {
		t.Errorf("nothing listening: %v", err)
	}
	go func() {
		time.Sleep(50 * time.Millisecond)
		if l, err := net.Listen("tcp", addr); err == nil {
			t.Cleanup(func() { l.Close() })
		}
	}()
	if err := WaitForProxy(context.Background(), addr, 5*time.Second); err != nil {
		t.Errorf("listening after 50ms: %v", err)
	}
}

// The alias commands are the ones aws-vault v7 runs; an address already
// there is not added again.
func TestAliasCommands(t *testing.T) {
	rec := &recordingAlias{}
	a := rec.alias()
	if err := a.Add(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := a.Remove(context.Background()); err != nil {
		t.Fatal(err)
	}
	add, _ := aliasAddCommand()
	del, _ := aliasRemoveCommand()
	want := []string{strings.Join(add[1:], " "), strings.Join(del[1:], " ")}
	if got := rec.Calls(); len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("commands %q, want %q", got, want)
	}
	if strings.HasSuffix(add[0], "ip") {
		if got := strings.Join(add[1:], " "); got != "addr add 169.254.169.254/24 dev lo label lo:0" {
			t.Errorf("Linux add: %q", got)
		}
		if got := strings.Join(del[1:], " "); got != "addr del 169.254.169.254/24 dev lo label lo:0" {
			t.Errorf("Linux remove: %q", got)
		}
	}

	rec = &recordingAlias{}
	a = rec.alias()
	a.Present = func() (bool, error) { return true, nil }
	if err := a.Add(context.Background()); err != nil || len(rec.Calls()) != 0 {
		t.Errorf("address already present: %v, commands %q", err, rec.Calls())
	}
}
