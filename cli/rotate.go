package cli

import (
	"context"
	"errors"
)

type rotateOptions struct {
	ProfileName string
	NoSession   bool
}

func configureRotate(a *App) {
	opts := &rotateOptions{}
	cmd := a.kp.Command("rotate", "Replace a profile's stored access key with a new one.")
	cmd.Flag("no-session", "Call IAM with the stored key itself, without a session or role.").Short('n').BoolVar(&opts.NoSession)
	cmd.Arg("profile", "Name of the profile.").Required().HintAction(a.g.profileNames).StringVar(&opts.ProfileName)
	a.register(cmd, func(ctx context.Context) error { return runRotate(ctx, a.g, opts) })
}

func runRotate(ctx context.Context, g *globalOptions, opts *rotateOptions) error {
	return errors.New("not implemented")
}
