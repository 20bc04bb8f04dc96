package cli

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/awsvault/aws-vault/vault"
)

type listOptions struct {
	OnlyProfiles    bool
	OnlySessions    bool
	OnlyCredentials bool
}

func configureList(a *App) {
	opts := &listOptions{}
	cmd := a.kp.Command("list", "List profiles, stored credentials and cached sessions.").Alias("ls").HelpLong(`
Without a flag, prints a table: each profile of the config file, whether the
keyring holds its long-term key, and its cached sessions.

Examples:
  aws-vault list
  aws-vault list --profiles`)
	cmd.Flag("profiles", "Print only profile names, one per line.").BoolVar(&opts.OnlyProfiles)
	cmd.Flag("sessions", "Print only cached session labels, one per line.").BoolVar(&opts.OnlySessions)
	cmd.Flag("credentials", "Print only the names of stored credentials, one per line.").BoolVar(&opts.OnlyCredentials)
	a.register(cmd, func(ctx context.Context) error { return runList(ctx, a.s, opts) })
}

func runList(ctx context.Context, s *session, opts *listOptions) error {
	cfg, err := s.Config()
	if err != nil {
		return err
	}
	if opts.OnlyProfiles && !opts.OnlyCredentials {
		return printLines(s.Stdout, cfg.ProfileNames())
	}
	store, err := s.Store(ctx)
	if err != nil {
		return err
	}
	inv, err := store.Inventory(cfg)
	if err != nil {
		return err
	}
	switch {
	case opts.OnlyCredentials:
		return printLines(s.Stdout, inv.Credentials)
	case opts.OnlySessions:
		return printLines(s.Stdout, inv.SessionLabels())
	}
	return printTable(s.Stdout, inv)
}

func printLines(w io.Writer, lines []string) error {
	for _, l := range lines {
		if _, err := fmt.Fprintln(w, l); err != nil {
			return err
		}
	}
	return nil
}

// printTable prints aws-vault's table: 25-wide cells, two spaces of
// padding, every cell tab-terminated (so lines end in padding).
func printTable(out io.Writer, inv *vault.Inventory) error {
	w := tabwriter.NewWriter(out, 25, 4, 2, ' ', 0)
	row := func(cells ...string) { fmt.Fprintln(w, strings.Join(cells, "\t")+"\t") }
	row("Profile", "Credentials", "Sessions")
	row("=======", "===========", "========")
	shown := map[string]bool{}
	for _, p := range inv.Profiles {
		cred := "-"
		if slices.Contains(inv.Credentials, p) {
			cred = p
		}
		var labels []string
		for _, it := range inv.ItemsFor(p) {
			shown[it.Key] = true
			labels = append(labels, it.Label)
		}
		row(p, cred, orDash(strings.Join(labels, ", ")))
	}
	for _, c := range inv.Credentials {
		if !slices.Contains(inv.Profiles, c) {
			row("-", c, "-")
		}
	}
	for _, it := range inv.Items {
		if !shown[it.Key] {
			row("-", "-", it.Label)
		}
	}
	return w.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
