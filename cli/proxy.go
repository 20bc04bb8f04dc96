package cli

import (
	"context"
	"errors"
)

type proxyOptions struct {
	Stop bool
}

func configureProxy(a *App) {
	opts := &proxyOptions{}
	cmd := a.kp.Command("proxy", "Run the EC2 metadata proxy (started by exec --ec2-server).").Alias("server").Hidden()
	cmd.Flag("stop", "Stop a running proxy.").BoolVar(&opts.Stop)
	a.register(cmd, func(ctx context.Context) error { return runProxy(ctx, a.s, opts) })
}

func runProxy(ctx context.Context, s *session, opts *proxyOptions) error {
	return errors.New("the EC2 metadata proxy is not available in this version")
}
