package cli

import "github.com/alecthomas/kingpin/v2"

// longHelpUsage follows kingpin's usage template: a command's long help
// (HelpLong: details, then its examples) at the end of its --help, where
// the examples stay on the screen. The root --help lists each command with
// its one-sentence Help only.
const longHelpUsage = `{{with .Context.SelectedCommand}}{{if .HelpLong}}{{.HelpLong|Wrap 0}}
{{end}}{{end}}`

// usageTemplate is the template of --help and the help command.
func usageTemplate() string { return kingpin.DefaultUsageTemplate + longHelpUsage }
