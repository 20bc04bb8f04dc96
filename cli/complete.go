package cli

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/alecthomas/kingpin/v2"
	"github.com/awsvault/aws-vault/vault/config"
)

// Shell completion. The shells' scripts ask aws-vault itself, through
// kingpin's protocol as aws-vault v7's scripts do: `aws-vault
// --completion-bash WORD...`, the words typed after the program name up to
// the one under the cursor (empty after a space). The answer is one
// candidate a line on stdout and exit status 0, whatever happens: a
// completion prints no error, never opens the keyring, prompts or calls
// AWS, and profile names come from the config file only (one that cannot
// be read completes nothing).
//
// The candidates are kingpin's: its parse of the words, the hints of
// arguments and flags (HintAction, HintOptions, an enum's values), its
// FlagCompletion and CmdCompletion. This file only decides which of them
// answers, where kingpin's own dispatch goes wrong: a flag whose value has
// no hints completed the next argument instead (`--prompt <TAB>` offered
// command names), and a word under the cursor that was a whole candidate
// already completed the word after it, not itself.

// completionWords returns the words of a completion request, if args are
// one: --completion-bash anywhere before "--" (the scripts put it first).
func completionWords(args []string) ([]string, bool) {
	for i, arg := range args {
		switch arg {
		case "--":
			return nil, false
		case "--completion-bash":
			return append(slices.Clone(args[:i]), args[i+1:]...), true
		}
	}
	return nil, false
}

// complete prints the candidates for the word under the cursor, the last
// of words. A panic in a hint (a bug) prints nothing either.
func (a *App) complete(words []string) {
	defer func() { _ = recover() }()
	// kingpin adds the help command when it first parses; its argument is
	// a command name.
	if _, err := a.kp.ParseContext(nil); err == nil && a.kp.HelpCommand != nil {
		a.kp.HelpCommand.GetArg("command").HintAction(a.completeCommands)
	}
	for _, c := range a.completions(words) {
		fmt.Fprintln(a.s.Stdout, c)
	}
}

// completions lists the candidates for the last of words. The zsh script
// that kingpin v2.3 generated (aws-vault v7.2.0's --completion-script-zsh)
// passes the program's own name first; it is dropped. When the last word is
// a whole candidate already, what may follow it is listed too, as kingpin
// does, for scripts that leave the word under the cursor out (aws-vault
// v7's fish script); the shells keep only candidates that extend the word.
func (a *App) completions(words []string) []string {
	if len(words) > 1 && filepath.Base(words[0]) == a.kp.Name {
		words = words[1:]
	}
	if len(words) == 0 {
		words = []string{""}
	}
	before, cur := words[:len(words)-1], words[len(words)-1]
	out := a.candidates(before, cur)
	if cur != "" && slices.Contains(out, cur) {
		out = append(out, a.candidates(words, "")...)
	}
	var unique []string
	for _, c := range out {
		if !slices.Contains(unique, c) {
			unique = append(unique, c)
		}
	}
	return unique
}

// candidates lists what may stand at cur, after the words before it.
func (a *App) candidates(before []string, cur string) []string {
	if slices.Contains(before, "--") {
		return nil // the command exec runs: the shell completes it
	}
	ctx, _ := a.kp.ParseContext(before) // a parse error completes what parsed
	if ctx == nil {
		return nil
	}
	cmd := ctx.SelectedCommand
	switch {
	case strings.HasPrefix(cur, "--") && strings.Contains(cur, "="):
		name, value, _ := strings.Cut(cur[2:], "=")
		var out []string
		for _, v := range withPrefix(a.flagValues(cmd, name), value) {
			out = append(out, "--"+name+"="+v)
		}
		return out
	case strings.HasPrefix(cur, "-"):
		return withPrefix(a.flagNames(cmd), cur)
	case len(before) > 0:
		if f := a.flag(cmd, before[len(before)-1]); f != nil && !f.IsBoolFlag() {
			return withPrefix(a.flagValues(cmd, f.Name), cur)
		}
	}
	// The empty word resets kingpin's state after an argument typed in
	// full, so that the position after it is completed.
	ctx, _ = a.kp.ParseContext(append(slices.Clone(before), ""))
	if ctx == nil {
		return nil
	}
	if ctx.SelectedCommand != nil {
		return withPrefix(ctx.SelectedCommand.CmdCompletion(ctx), cur)
	}
	return withPrefix(a.kp.CmdCompletion(ctx), cur)
}

// flag finds the flag a word names (--name or -x, no value attached), the
// selected command's first, then the global ones.
func (a *App) flag(cmd *kingpin.CmdClause, word string) *kingpin.FlagModel {
	var name string
	var short rune
	switch {
	case strings.HasPrefix(word, "--") && !strings.Contains(word, "="):
		name = word[2:]
	case len(word) == 2 && word[0] == '-' && word[1] != '-':
		short = rune(word[1])
	default:
		return nil
	}
	groups := []*kingpin.FlagGroupModel{a.kp.Model().FlagGroupModel}
	if cmd != nil {
		groups = append([]*kingpin.FlagGroupModel{cmd.Model().FlagGroupModel}, groups...)
	}
	for _, g := range groups {
		for _, f := range g.Flags {
			if (name != "" && f.Name == name) || (short != 0 && f.Short == short) {
				return f
			}
		}
	}
	return nil
}

// flagValues lists the values a flag's hints offer (none for a free-form
// value: the shell then completes file names).
func (a *App) flagValues(cmd *kingpin.CmdClause, name string) []string {
	if cmd != nil {
		if values, ok, _ := cmd.FlagCompletion(name, ""); ok {
			return values
		}
	}
	if values, ok, _ := a.kp.FlagCompletion(name, ""); ok {
		return values
	}
	return nil
}

// flagNames lists the visible flags: the selected command's, then the
// global ones.
func (a *App) flagNames(cmd *kingpin.CmdClause) []string {
	var names []string
	if cmd != nil {
		names, _, _ = cmd.FlagCompletion("", "")
	}
	global, _, _ := a.kp.FlagCompletion("", "")
	return append(names, global...)
}

func withPrefix(candidates []string, prefix string) []string {
	var out []string
	for _, c := range candidates {
		if strings.HasPrefix(c, prefix) {
			out = append(out, c)
		}
	}
	return out
}

// completeCommands lists the visible commands.
func (a *App) completeCommands() []string {
	var out []string
	for _, c := range a.kp.Model().Commands {
		if !c.Hidden {
			out = append(out, c.Name)
		}
	}
	return out
}

// completeProfiles lists the config file's profiles (nothing when it cannot
// be read).
func (a *App) completeProfiles() []string {
	cfg, err := a.s.Config()
	if err != nil {
		return nil
	}
	return cfg.ProfileNames()
}

// completeKeyProfiles lists the profiles that can hold a long-term key: add
// refuses one with a source_profile.
func (a *App) completeKeyProfiles() []string {
	cfg, err := a.s.Config()
	if err != nil {
		return nil
	}
	var out []string
	for _, name := range cfg.ProfileNames() {
		if sec, _ := cfg.ProfileSection(name); sec.SourceProfile == "" {
			out = append(out, name)
		}
	}
	return out
}

// completeCredentialsProfiles lists the profiles of the shared credentials
// file (import's default file), never their keys.
func (a *App) completeCredentialsProfiles() []string {
	home, err := a.s.HomeDir()
	if err != nil && a.s.Getenv("AWS_SHARED_CREDENTIALS_FILE") == "" {
		return nil
	}
	file, err := config.LoadCredentialsFile(config.CredentialsFilePath(a.s.Getenv, home))
	if err != nil {
		return nil
	}
	var out []string
	for _, p := range file.Profiles {
		out = append(out, p.Name)
	}
	return out
}
