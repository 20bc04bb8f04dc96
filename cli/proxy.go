package cli

import (
	"context"

	"github.com/awsvault/aws-vault/server"
)

type proxyOptions struct {
	Stop bool
}

func configureProxy(a *App) {
	opts := &proxyOptions{}
	cmd := a.kp.Command("proxy", "Run the EC2 metadata proxy (started by exec --ec2-server).").Alias("server").Hidden()
	cmd.Flag("stop", "Stop a running proxy, with the stop secret read from stdin.").BoolVar(&opts.Stop)
	a.register(cmd, func(ctx context.Context) error { return runProxy(ctx, a.s, opts) })
}

// runProxy is the root helper of exec --ec2-server: it reads its stop
// secret from the first line of stdin, puts 169.254.169.254 on the
// loopback interface, and forwards 169.254.169.254:80 to the EC2 metadata
// server on 127.0.0.1:9099 until an authenticated stop request, SIGINT or
// SIGTERM, or the end of its stdin (aws-vault has exited); the alias is
// removed when it stops. With --stop, it sends the stop request with the
// secret read from stdin.
func runProxy(ctx context.Context, s *session, opts *proxyOptions) error {
	secret, closed, err := server.ReadProxyStdin(s.Stdin, server.ProxySecretTimeout)
	if err != nil {
		return err
	}
	if opts.Stop {
		return server.StopProxy(ctx, server.MetadataAddr, secret)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-closed:
			s.log.Print("stdin closed: stopping the EC2 metadata proxy")
			cancel()
		case <-ctx.Done():
		}
	}()
	return server.RunProxy(ctx, server.ProxyConfig{
		Listen: server.MetadataAddr,
		Target: server.EC2CredentialsAddr,
		Secret: secret,
		Alias:  &server.Alias{},
		Logf:   s.log.Printf,
	})
}
