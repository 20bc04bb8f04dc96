package cli

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/awsvault/aws-vault/vault"
)

type auditOptions struct {
	Since   string
	Profile string
	JSON    bool
}

func configureAudit(a *App) {
	opts := &auditOptions{}
	cmd := a.kp.Command("audit", "Show who was handed credentials, for which profile.").HelpLong(`
Prints the issuance log as a table, newest last: each time aws-vault handed
out credentials, for which profile, with which chain steps, and to which
program.

Examples:
  aws-vault audit --since 7d
  aws-vault audit --profile work --json`)
	cmd.Flag("since", "Only what was handed out within this long, e.g. 24h or 7d.").PlaceHolder("DURATION").StringVar(&opts.Since)
	cmd.Flag("profile", "Only what was handed out for this profile.").PlaceHolder("PROFILE").
		HintAction(a.completeProfiles).StringVar(&opts.Profile)
	cmd.Flag("json", "Print the log's lines as stored, one JSON object a line.").BoolVar(&opts.JSON)
	a.register(cmd, func(ctx context.Context) error { return runAudit(ctx, a.s, opts) })
}

// runAudit prints the issuance log (vault.ReadAuditLog), filtered.
func runAudit(_ context.Context, s *session, opts *auditOptions) error {
	var since time.Time
	if opts.Since != "" {
		d, err := vault.ParseAge(opts.Since)
		if err != nil {
			return fmt.Errorf("--since: %w", err)
		}
		since = s.Now().Add(-d)
	}
	path, err := s.auditLogPath()
	if err != nil {
		return err
	}
	if path == "" {
		return errAuditOff
	}
	entries, err := vault.ReadAuditLog(path)
	if err != nil {
		return fmt.Errorf("reading the issuance log: %w", err)
	}
	if len(entries) == 0 {
		s.report().Note(fmt.Sprintf("nothing is recorded in %s yet", path))
		return nil
	}
	var shown []vault.AuditEntry
	for _, e := range entries {
		if e.Malformed || !e.Time.Before(since) && (opts.Profile == "" || e.Profile == opts.Profile) {
			shown = append(shown, e)
		}
	}
	if home, err := s.HomeDir(); err == nil {
		for i := range shown {
			if rest, ok := strings.CutPrefix(shown[i].File, home+string(filepath.Separator)); ok {
				shown[i].File = "~/" + filepath.ToSlash(rest)
			}
		}
	}
	if opts.JSON {
		return printAuditJSON(s, shown)
	}
	return printAuditTable(s.Stdout, shown)
}

// printAuditJSON prints the lines as stored; a malformed one is said on
// stderr instead.
func printAuditJSON(s *session, entries []vault.AuditEntry) error {
	var b strings.Builder
	for _, e := range entries {
		if e.Malformed {
			s.report().Warning(malformedLine(e))
			continue
		}
		b.Write(e.Raw)
		b.WriteByte('\n')
	}
	_, err := io.WriteString(s.Stdout, b.String())
	return err
}

func malformedLine(e vault.AuditEntry) string {
	return fmt.Sprintf("line %d of %s is not an issuance record", e.Line, e.File)
}

// printAuditTable prints one row per hand-out.
func printAuditTable(w io.Writer, entries []vault.AuditEntry) error {
	if len(entries) == 0 {
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tCOMMAND\tPROFILE\tKEY\tEXPIRES\tCALLER\tSTEPS")
	for _, e := range entries {
		if e.Malformed {
			fmt.Fprintf(tw, "(malformed)\t-\t-\t-\t-\t-\t%s\n", malformedLine(e))
			continue
		}
		expires := "-"
		if !e.Expires.IsZero() {
			expires = auditTime(e.Expires)
		}
		profile := e.Profile
		if profile == "" {
			profile = "(environment)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", auditTime(e.Time), commandText(e.Command, e.Output), profile,
			"..."+e.KeyIDLast4, expires, callerText(e.Caller, e.CallerParent), stepsText(e.Steps))
	}
	return tw.Flush()
}

func auditTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// commandText writes a hand-out as the command line that made it.
func commandText(command, output string) string {
	switch {
	case command == "exec" && output == "env", command == "login" && output == "browser", output == "":
		return command
	case command == "exec" && output == "json":
		return "exec --json"
	case command == "export":
		return "export --format=" + output
	case command == "login" && output == "url":
		return "login --stdout"
	case strings.HasSuffix(output, "-server"):
		return command + " --" + output
	}
	return command + " (" + output + ")"
}

// callerText writes the calling processes as "aws (4242) < sh (4200)".
func callerText(caller, parent vault.Process) string {
	out := processText(caller)
	if parent.PID != 0 {
		out += " < " + processText(parent)
	}
	return out
}

func processText(p vault.Process) string {
	name := p.Name
	if name == "" && p.Exe != "" {
		name = filepath.Base(p.Exe)
	}
	if name == "" {
		name = "?"
	}
	return fmt.Sprintf("%s (%d)", name, p.PID)
}

// stepsText writes the chain's steps as "key plain > session (mfa, cached)
// > role ReadOnly".
func stepsText(steps []vault.Step) string {
	if len(steps) == 0 {
		return "-"
	}
	parts := make([]string, 0, len(steps))
	for _, st := range steps {
		parts = append(parts, stepText(st))
	}
	return strings.Join(parts, " > ")
}

func stepText(st vault.Step) string {
	role := st.RoleARN[strings.LastIndex(st.RoleARN, "/")+1:]
	text := map[string]string{
		vault.KindStored:            "key " + st.Profile,
		vault.KindSessionToken:      "session",
		vault.KindAssumeRole:        "role " + role,
		vault.KindWebIdentity:       "web-identity " + role,
		vault.KindCredentialProcess: "credential_process " + st.Profile,
		vault.KindSSO:               "sso " + st.Profile,
		vault.KindFederationToken:   "federation",
	}[st.Kind]
	if text == "" {
		text = st.Kind
	}
	var flags []string
	if st.MFA {
		flags = append(flags, "mfa")
	}
	if st.Cached {
		flags = append(flags, "cached")
	}
	if len(flags) > 0 {
		text += " (" + strings.Join(flags, ", ") + ")"
	}
	return text
}
