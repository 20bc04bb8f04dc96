package cli

import (
	"fmt"
	"io"
	"strings"
	"text/template"

	"github.com/alecthomas/kingpin/v2"
)

// manPage prints aws-vault(1), made from the command tree: every visible
// command with its help, flags, arguments and examples, the global flags,
// and the environment variables (those of flags from the tree, the others
// from manEnvironment).
func (a *App) manPage(w io.Writer) error {
	m := a.kp.Model()
	summary := strings.TrimSuffix(m.Help, ".")
	data := map[string]any{
		"Version": a.s.Version,
		"Name":    strings.ToLower(summary[:1]) + summary[1:],
		"App":     m,
		"Env":     manEnvironment(),
	}
	t, err := template.New("man").Funcs(template.FuncMap{
		"roff": roff, "flag": manFlag, "usage": manUsage,
		"paragraphs": func(text string) []string { p, _ := splitLongHelp(text); return p },
		"examples":   func(text string) []string { _, e := splitLongHelp(text); return e },
	}).Parse(manTemplate)
	if err != nil {
		return err
	}
	return t.Execute(w, data)
}

// manEnvironment describes the variables that no flag is bound to (a
// flag's variable is listed with the flag). Every AWS_VAULT_ variable that
// aws-vault reads must be listed here or have a flag (a test checks).
func manEnvironment() [][2]string {
	return [][2]string{
		{"AWS_CONFIG_FILE", "The config file (default: ~/.aws/config)."},
		{"AWS_SHARED_CREDENTIALS_FILE", "The credentials file import reads (default: ~/.aws/credentials)."},
		{"AWS_VAULT_FILE_PASSPHRASE", "Passphrase of the file backend, instead of asking on the terminal (see unlock for a way without it)."},
		{"AWS_VAULT_BROWSER", "Program that login opens the sign-in URL with, instead of the default browser."},
		{"AWS_VAULT_AWS_TIMEOUT", "Longest wait for one AWS call, retries included, as a Go duration (default: 30s)."},
		{"AWS_VAULT_PROCESS_TIMEOUT", "Longest wait for a credential_process or web_identity_token_process (default: 1m)."},
		{"AWS_VAULT_LOCK_TIMEOUT", "Longest wait for another aws-vault that is getting the same credentials (default: 5m)."},
		{"AWS_VAULT_CACHE_ROLES", "Set to 0 to cache role sessions only when they were obtained with MFA, as aws-vault v7.2.0."},
		{"AWS_VAULT_YKMAN_VERSION", "Major version (1, 2 or 3) of the ykman program, for the ykman prompt."},
		{"AWS_VAULT_DISABLE_HELP_MESSAGE", "Set to 1 to leave out the messages exec prints when it starts a subshell or a credential server."},
		{"AWS_VAULT", "Set by exec to the profile name in the command's environment; exec and export refuse to run where it is set."},
		{"AWS_SESSION_TOKEN_TTL, AWS_ASSUME_ROLE_TTL, AWS_CHAINED_SESSION_TOKEN_TTL, AWS_FEDERATION_TOKEN_TTL",
			"Default durations of GetSessionToken, AssumeRole, a chained GetSessionToken and GetFederationToken sessions."},
		{"AWS_VAULT_SSO_DEVICE_CODE", "Set to 1 to sign in to SSO with a device code, also for sso-session profiles."},
		{"AWS_VAULT_AUDIT_LOG", "File of the issuance log (default: ~/.awsvault/audit.log), or off to keep none."},
		{"AWS_VAULT_KEY_MAX_AGE", "Age of a stored key past which it counts as old, e.g. 90d (default: 90d)."},
		{"AWS_MIN_TTL", "Shortest lifetime left that cached credentials may have to be used (default: 5m)."},
		{"AWS_VAULT_EC2_IMDSV2_ONLY", "Set to 1 to make exec --ec2-server refuse requests without an IMDSv2 session token."},
		{"XDG_RUNTIME_DIR", "Directory whose aws-vault subdirectory holds the sockets of unlock's agents (else ~/.awsvault/agent)."},
	}
}

// manTemplate is the page, in man(7) macros.
const manTemplate = `.\" aws-vault(1), made by aws-vault --help-man from its command tree.
.TH AWS\-VAULT 1 "" "aws\-vault {{roff .Version}}" "User Commands"
.SH NAME
aws\-vault \- {{roff .Name}}
.SH SYNOPSIS
.B aws\-vault
.RI [ flags ] " command " [ arguments ]
.SH DESCRIPTION
{{roff .App.Help}}
It keeps long\-term AWS access keys in the operating system's keyring and hands
short\-lived credentials to the programs that need them, as ~/.aws/config describes
them: sessions, roles with MFA, SSO, credential_process.
.PP
Flags may stand before or after the command.
A flag that takes no value also has a \fB\-\-no\-\fR form.
Put \fB\-\-\fR before a command whose own arguments start with \fB\-\fR.
\fBaws\-vault help\fR \fIcommand\fR shows a command's flags and examples.
.SH COMMANDS
{{- range .App.Commands}}{{if not .Hidden}}
.SS "{{usage .}}"
{{roff .Help}}
{{- range paragraphs .HelpLong}}
.PP
{{roff .}}
{{- end}}
{{- if .Args}}
.PP
Arguments:
{{- range .Args}}
.TP
.I {{roff .Name}}
{{roff .Help}}
{{- end}}{{end}}
{{- if .Flags}}
.PP
Flags:
{{- range .Flags}}{{if not .Hidden}}
.TP
{{flag .}}
{{roff .HelpWithEnvar}}
{{- end}}{{end}}{{end}}
{{- with examples .HelpLong}}
.PP
Examples:
.PP
.RS
.nf
{{- range .}}
{{roff .}}
{{- end}}
.fi
.RE
{{- end}}
{{- end}}{{end}}
.SH "GLOBAL FLAGS"
Every command takes these.
{{- range .App.Flags}}{{if not .Hidden}}
.TP
{{flag .}}
{{roff .HelpWithEnvar}}
{{- end}}{{end}}
.SH ENVIRONMENT
A flag's variable (above) sets the flag when the flag is not given; an empty
variable counts as unset.
{{- range .Env}}
.TP
.B {{roff (index . 0)}}
{{roff (index . 1)}}
{{- end}}
.SH FILES
.TP
.I ~/.aws/config
Profiles: their roles, MFA devices, regions, SSO settings.
.TP
.I ~/.awsvault/keys/
The file backend's items, each encrypted with the passphrase.
.TP
.I ~/.awsvault/locks/
Locks that let one aws-vault at a time get the same credentials, and the last
MFA time step used per device (never a code).
.SH "EXIT STATUS"
0 on success and 1 on an error.
\fBexec\fR ends with the status of the command it ran; a signal n ends
aws\-vault with 128+n.
.SH "SEE ALSO"
.BR aws (1)
`

// roff escapes text for a man page line: backslashes, minus signs (which
// must stay ASCII so that commands can be copied), and a leading dot or
// quote, which would start a request.
func roff(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	s = strings.ReplaceAll(s, "-", `\-`)
	s = strings.ReplaceAll(s, `"`, `\(dq`)
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}

// manFlag is a flag's tag line: -d, --duration=DURATION.
func manFlag(f *kingpin.FlagModel) string {
	tag := `\fB\-\-` + roff(f.Name) + `\fR`
	if !f.IsBoolFlag() {
		tag += `=\fI` + roff(f.FormatPlaceHolder()) + `\fR`
	}
	if f.Short != 0 {
		tag = fmt.Sprintf(`\fB\-%c\fR, %s`, f.Short, tag)
	}
	return tag
}

// manUsage is a command's synopsis, as --help shows it.
func manUsage(c *kingpin.CmdModel) string {
	parts := []string{c.FullCommand}
	if s := c.FlagSummary(); s != "" {
		parts = append(parts, s)
	}
	for _, a := range c.Args {
		if a.Hidden {
			continue
		}
		arg := "<" + a.Name + ">"
		if v, ok := a.Value.(interface{ IsCumulative() bool }); ok && v.IsCumulative() {
			arg += "..."
		}
		if !a.Required {
			arg = "[" + arg + "]"
		}
		parts = append(parts, arg)
	}
	return roff(strings.Join(parts, " "))
}
