package cli

import (
	"embed"
	"fmt"
	"io"
	"strings"

	"github.com/alecthomas/kingpin/v2"
)

// The completion scripts, one a shell. They only ask aws-vault for
// candidates (complete.go); what is completed lives in the command tree.
//
//go:embed completions/aws-vault.bash completions/aws-vault.zsh completions/aws-vault.fish
var completionScripts embed.FS

// printScript prints the completion script of shell.
func printScript(shell string) func(*App, io.Writer) error {
	return func(_ *App, w io.Writer) error {
		script, err := completionScripts.ReadFile("completions/aws-vault." + shell)
		if err == nil {
			_, err = w.Write(script)
		}
		return err
	}
}

// generator returns what the hidden flags that print a file made from the
// command tree ask for, if args name one before "--": the completion
// scripts (the bash and zsh ones are kingpin's flags in aws-vault v7, and
// users have them in their rc files) and the man page. They are acted on
// before kingpin parses the command line, so that a setting the parse
// would refuse (AWS_VAULT_BACKEND=nonsense) cannot break a shell's start-up
// or make install.
func generator(args []string) func(*App, io.Writer) error {
	for _, arg := range args {
		switch arg {
		case "--":
			return nil
		case "--completion-script-bash":
			return printScript("bash")
		case "--completion-script-zsh":
			return printScript("zsh")
		case "--completion-script-fish":
			return printScript("fish")
		case "--help-man":
			return (*App).manPage
		}
	}
	return nil
}

// configureGenerators declares the generator flags (hidden, as in aws-vault
// v7) with help in our words; kingpin's own actions for them never run.
func configureGenerators(kp *kingpin.Application) {
	kp.Flag("completion-script-fish", "").Hidden().Bool()
	for flag, help := range map[string]string{
		"completion-bash":        "Print the completions of the last word (the shells' scripts call it).",
		"completion-script-bash": "Print the bash completion script.",
		"completion-script-zsh":  "Print the zsh completion script.",
		"completion-script-fish": "Print the fish completion script.",
		"help-man":               "Print the man page, aws-vault(1).",
	} {
		kp.GetFlag(flag).Help(help)
	}
}

// runGenerator prints what g makes on stdout and returns the exit status.
func (a *App) runGenerator(g func(*App, io.Writer) error) int {
	if err := g(a, a.s.Stdout); err != nil {
		fmt.Fprintf(a.s.Stderr, "aws-vault: error: %v\n", err)
		return 1
	}
	return 0
}

// splitLongHelp splits a command's long help (kingpin's HelpLong) into its
// paragraphs, each joined into one line, and the command lines of its
// final "Examples:" block, comments included.
func splitLongHelp(text string) (paragraphs, examples []string) {
	for _, block := range strings.Split(strings.TrimSpace(text), "\n\n") {
		lines := strings.Split(block, "\n")
		if lines[0] == "Examples:" {
			for _, l := range lines[1:] {
				examples = append(examples, strings.TrimSpace(l))
			}
			continue
		}
		for i := range lines {
			lines[i] = strings.TrimSpace(lines[i])
		}
		paragraphs = append(paragraphs, strings.Join(lines, " "))
	}
	return paragraphs, examples
}
