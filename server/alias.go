package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/awsvault/aws-vault/internal/proc"
)

// aliasTimeout bounds one ip/ifconfig/netsh command.
const aliasTimeout = 10 * time.Second

// Alias puts 169.254.169.254 on the loopback interface, so that the proxy
// can listen there, and takes it off again. The commands are per OS:
// Linux `ip addr add 169.254.169.254/24 dev lo label lo:0`, macOS and the
// BSDs `ifconfig lo0 alias 169.254.169.254`, Windows `netsh interface ipv4
// add address "Loopback Pseudo-Interface 1" 169.254.169.254 255.255.0.0`.
// They need root (Administrator). The zero Alias runs them for real.
type Alias struct {
	// Run runs one command to completion; nil runs it as a bounded child
	// process. Tests record the commands instead.
	Run func(ctx context.Context, argv []string) error
	// Present reports whether 169.254.169.254 is already on an
	// interface; nil asks the system.
	Present func() (bool, error)
}

// Add puts the address on the loopback interface. An address already
// there (left by a proxy that was killed) is taken over as it is: Remove
// takes it off at the end.
func (a *Alias) Add(ctx context.Context) error {
	present := a.Present
	if present == nil {
		present = metadataIPPresent
	}
	if ok, err := present(); err == nil && ok {
		return nil
	}
	argv, err := aliasAddCommand()
	if err != nil {
		return err
	}
	if err := a.run(ctx, argv); err != nil {
		return fmt.Errorf("adding %s to the loopback interface: %w", MetadataIP, err)
	}
	return nil
}

// Remove takes the address off the loopback interface.
func (a *Alias) Remove(ctx context.Context) error {
	argv, err := aliasRemoveCommand()
	if err != nil {
		return err
	}
	if err := a.run(ctx, argv); err != nil {
		return fmt.Errorf("removing %s from the loopback interface: %w", MetadataIP, err)
	}
	return nil
}

func (a *Alias) run(ctx context.Context, argv []string) error {
	if a.Run != nil {
		return a.Run(ctx, argv)
	}
	return runAliasCommand(ctx, argv)
}

// runAliasCommand runs argv bounded in time and output. Its error names
// the command and carries the first line the command printed on stderr
// (these commands print no secrets).
func runAliasCommand(ctx context.Context, argv []string) error {
	ctx, cancel := context.WithTimeout(ctx, aliasTimeout)
	defer cancel()
	var stderr limitedBuffer
	stderr.max = 512
	_, err := proc.Run(ctx, proc.Command{Path: argv[0], Args: argv[1:], Stderr: &stderr, MaxOutput: 64 << 10})
	if err == nil {
		return nil
	}
	msg := fmt.Sprintf("%s: %v", strings.Join(argv, " "), err)
	if first, _, _ := strings.Cut(strings.TrimSpace(stderr.String()), "\n"); first != "" {
		msg += ": " + first
	}
	if errors.Is(err, context.DeadlineExceeded) {
		msg += fmt.Sprintf(" (no answer within %s)", aliasTimeout)
	}
	return errors.New(msg)
}

// metadataIPPresent reports whether 169.254.169.254 is on an interface.
func metadataIPPresent() (bool, error) {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return false, err
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.Equal(metadataIP) {
			return true, nil
		}
	}
	return false, nil
}

// limitedBuffer keeps the first max bytes written to it.
type limitedBuffer struct {
	buf bytes.Buffer
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.buf.Len(); room > 0 {
		b.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (b *limitedBuffer) String() string { return b.buf.String() }
