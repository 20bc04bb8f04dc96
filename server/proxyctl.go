package server

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// The proxy's stdin protocol. aws-vault starts the proxy (through sudo,
// which drops the environment; argv is visible to every user) with a pipe
// as its stdin, writes the stop secret and a newline, and keeps the pipe
// open while it runs. The proxy stops when the pipe reaches end of file:
// aws-vault has exited, however it ended.
const (
	// ProxySecretTimeout bounds the wait for the secret line.
	ProxySecretTimeout = 10 * time.Second
	maxSecretLine      = 256
)

// ReadProxyStdin reads the stop secret from the first line of r, waiting
// at most timeout, then goes on reading r in the background: closed is
// closed when r reaches end of file or fails. The secret must look like
// one NewToken makes; the error never shows what arrived.
func ReadProxyStdin(r io.Reader, timeout time.Duration) (secret string, closed <-chan struct{}, err error) {
	type result struct {
		line string
		err  error
	}
	got := make(chan result, 1)
	eof := make(chan struct{})
	go func() {
		br := bufio.NewReaderSize(r, maxSecretLine)
		line, err := br.ReadSlice('\n')
		got <- result{string(line), err}
		if err == nil {
			_, _ = io.Copy(io.Discard, br)
		}
		close(eof)
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var res result
	select {
	case res = <-got:
	case <-timer.C:
		return "", nil, fmt.Errorf("the EC2 metadata proxy got no stop secret on stdin within %s (aws-vault exec --ec2-server starts it)", timeout)
	}
	switch {
	case errors.Is(res.err, bufio.ErrBufferFull):
		return "", nil, errors.New("the EC2 metadata proxy's stop secret on stdin is too long")
	case res.err != nil:
		return "", nil, errors.New("the EC2 metadata proxy's stdin ended before a stop secret line (aws-vault exec --ec2-server starts it)")
	}
	secret = strings.TrimRight(res.line, "\r\n")
	if !validSecret(secret) {
		return "", nil, errors.New("the EC2 metadata proxy's stop secret on stdin is not one aws-vault makes")
	}
	return secret, eof, nil
}

// validSecret accepts 32 to 128 characters of unpadded base64url.
func validSecret(s string) bool {
	if len(s) < 32 || len(s) > 128 {
		return false
	}
	for _, c := range s {
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// StopProxy sends the stop request to the proxy on addr (MetadataAddr).
// When addr is the metadata address, it returns once the proxy has
// removed the alias from this machine's loopback interface. It connects
// directly, never through HTTP_PROXY: aws-vault v7's stop request went to
// the proxy named there, and its proxy never stopped.
func StopProxy(ctx context.Context, addr, secret string) error {
	ctx, cancel := context.WithTimeout(ctx, 2*aliasTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+addr+proxyStopPath, nil)
	if err != nil {
		return err
	}
	req.Header.Set(proxySecretHeader, secret)
	client := &http.Client{
		Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true,
			DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("stopping the EC2 metadata proxy on %s: %w", addr, err)
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("stopping the EC2 metadata proxy on %s: it answered %d: %s", addr, resp.StatusCode, strings.TrimSpace(string(body)))
	}
	if host, _, _ := net.SplitHostPort(addr); host == MetadataIP {
		return waitAliasGone(ctx)
	}
	return nil
}

// waitAliasGone waits until 169.254.169.254 is on no interface.
func waitAliasGone(ctx context.Context) error {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		if present, err := metadataIPPresent(); err != nil || !present {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the EC2 metadata proxy stopped but %s is still on the loopback interface", MetadataIP)
		case <-tick.C:
		}
	}
}

// ProbeTimeout bounds the check for something already answering on the
// metadata address: a local listener or EC2's own service answer within
// a millisecond; an address that nothing has does not answer at all.
const ProbeTimeout = 200 * time.Millisecond

// CheckEC2Ports fails with the one-line error
// "Another process is already bound to <addr>" when something answers on
// metadataAddr (MetadataAddr) or credsAddr (EC2CredentialsAddr) is taken.
// Holding the EC2 server's listener (ListenEC2) before the check leaves no
// gap on credsAddr.
func CheckEC2Ports(ctx context.Context, metadataAddr, credsAddr string) error {
	if Answers(ctx, metadataAddr, ProbeTimeout) {
		return fmt.Errorf("Another process is already bound to %s", metadataAddr)
	}
	if credsAddr == "" {
		return nil
	}
	ln, err := listenNamed(credsAddr)
	if err != nil {
		return err
	}
	return ln.Close()
}

// Answers reports whether a TCP connection to addr succeeds within timeout.
func Answers(ctx context.Context, addr string, timeout time.Duration) bool {
	d := net.Dialer{Timeout: timeout}
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return false
	}
	_ = c.Close()
	return true
}

// WaitForProxy waits until something answers on addr, at most timeout:
// the child must not start before the endpoint answers, as the SDKs do
// not retry a refused connection.
func WaitForProxy(ctx context.Context, addr string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if Answers(ctx, addr, ProbeTimeout) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the EC2 metadata proxy did not start on %s within %s", addr, timeout)
		case <-tick.C:
		}
	}
}
