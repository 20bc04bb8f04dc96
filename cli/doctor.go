package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/awsvault/aws-vault/prompt"
	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/config"
	"github.com/awsvault/aws-vault/vault/keyring"
)

// doctorJSONVersion is the version of doctor's JSON output (the README
// documents it); it changes only when a field changes meaning or goes.
const doctorJSONVersion = 1

// The statuses of a check.
const (
	checkOK      = "ok"
	checkInfo    = "info"
	checkWarning = "warning"
	checkError   = "error"
)

// maxClockSkew is how far the clock may be off before AWS refuses signed
// requests; doctor warns at a fifth of it.
const maxClockSkew = 5 * time.Minute

type doctorOptions struct {
	ProfileName string
	credFlags
	JSON   bool
	Online bool
}

func configureDoctor(a *App) {
	opts := &doctorOptions{}
	cmd := a.kp.Command("doctor", "Check the set-up, or show the steps exec would take for a profile.").HelpLong(`
Without a profile, checks the config file, every profile, the keyring
backend, the stored keys and the cached sessions, one line each, and exits 1
when a check fails. With a profile, prints the plan exec follows: where the
long-term credentials come from, each AWS call with its region, endpoint,
duration and MFA, and the steps cached sessions serve; exits 1 when the plan
cannot run.

Asks for nothing, writes nothing, makes no AWS call and reads no keyring
item for a plan (cache expiry comes from the item names).

Examples:
  aws-vault doctor --online
  aws-vault doctor work --duration 2h`)
	opts.credFlags.duration(cmd, "Plan for temporary credentials of this duration, as exec --duration.")
	opts.credFlags.noSession(cmd, "Plan without GetSessionToken, as exec --no-session.")
	opts.credFlags.region(cmd, "Plan with this AWS region for every profile, as exec --region.")
	cmd.Flag("json", "Print the checks or the plan as JSON.").BoolVar(&opts.JSON)
	cmd.Flag("online", "Also compare the clock with the STS endpoint's (one HTTPS request, no AWS call).").BoolVar(&opts.Online)
	cmd.Arg("profile", "Name of the profile to plan for.").HintAction(a.completeProfiles).StringVar(&opts.ProfileName)
	a.register(cmd, func(ctx context.Context) error { return runDoctor(ctx, a.s, opts) })
}

// check is one line of doctor's report.
type check struct {
	Status  string `json:"status"`
	Check   string `json:"check"`
	Message string `json:"message"`
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
}

// doctorRun collects the checks of one doctor run.
type doctorRun struct {
	s      *session
	opts   *doctorOptions
	checks []check
}

func (d *doctorRun) add(status, name, format string, args ...any) *check {
	d.checks = append(d.checks, check{Status: status, Check: name, Message: fmt.Sprintf(format, args...)})
	return &d.checks[len(d.checks)-1]
}

func (d *doctorRun) count(status string) int {
	n := 0
	for _, c := range d.checks {
		if c.Status == status {
			n++
		}
	}
	return n
}

func runDoctor(ctx context.Context, s *session, opts *doctorOptions) error {
	if err := opts.credFlags.check(); err != nil {
		return err
	}
	d := &doctorRun{s: s, opts: opts}
	if opts.ProfileName != "" {
		if opts.Online {
			return fmt.Errorf("--online checks the clock with the set-up checks, not a profile's plan: run aws-vault doctor --online")
		}
		return d.plan(ctx)
	}
	if opts.NoSession || opts.Duration != 0 {
		return errors.New("--no-session and --duration plan a profile: name the profile (aws-vault doctor PROFILE)")
	}
	cfg := d.configFile()
	if cfg != nil {
		d.sections(cfg)
	}
	kr := d.keyringChecks()
	var keys []string
	if kr != nil {
		var err error
		if keys, err = kr.Keys(); err != nil {
			status := checkError
			if errors.Is(err, keyring.ErrNeedsPrompt) {
				// exec would ask the desktop; doctor never does.
				status = checkWarning
			}
			d.add(status, "keyring", "listing keyring items: %v", err)
			kr = nil
		}
	}
	if cfg != nil && kr != nil {
		d.profiles(cfg, kr)
	}
	if kr != nil {
		d.storedKeys(cfg, kr, keys)
		d.sessions(keys)
	}
	d.clock(ctx, cfg)
	return d.finish()
}

// finish prints the checks and a summary; errors make the exit status 1.
func (d *doctorRun) finish() error {
	errs := d.count(checkError)
	if d.opts.JSON {
		out := struct {
			Version int            `json:"version"`
			Checks  []check        `json:"checks"`
			Summary map[string]int `json:"summary"`
		}{doctorJSONVersion, d.checks, map[string]int{
			checkOK: d.count(checkOK), checkInfo: d.count(checkInfo), checkWarning: d.count(checkWarning), checkError: errs,
		}}
		if err := writeJSON(d.s.Stdout, out); err != nil {
			return err
		}
	} else {
		for _, c := range d.checks {
			fmt.Fprintf(d.s.Stdout, "%-7s %s: %s%s\n", c.Status, c.Check, c.Message, where(c))
		}
		fmt.Fprintf(d.s.Stdout, "%d ok, %s, %s, %d info\n", d.count(checkOK),
			plural(d.count(checkWarning), "warning"), plural(errs, "error"), d.count(checkInfo))
	}
	if errs > 0 {
		return ExitStatusError{Status: 1}
	}
	return nil
}

func where(c check) string {
	switch {
	case c.File != "" && c.Line > 0:
		return fmt.Sprintf(" (%s, line %d)", c.File, c.Line)
	case c.File != "":
		return fmt.Sprintf(" (%s)", c.File)
	}
	return ""
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// configFile reads the config file without creating it.
func (d *doctorRun) configFile() *config.File {
	home, _ := d.s.HomeDir()
	path := config.FilePath(d.s.Getenv, home)
	cfg, err := config.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		d.add(checkInfo, "config", "%s does not exist: no profiles are configured (aws-vault add creates it)", path)
		cfg, _ = config.Parse(path, nil)
	case err != nil:
		c := d.add(checkError, "config", "%v", err)
		var syntax *config.SyntaxError
		if errors.As(err, &syntax) {
			c.Message, c.File, c.Line = syntax.What, syntax.Path, syntax.Line
		}
		return nil
	default:
		d.add(checkOK, "config", "%s parsed: %s", path, plural(len(cfg.ProfileNames()), "profile"))
	}
	credPath := config.CredentialsFilePath(d.s.Getenv, home)
	if _, err := os.Stat(credPath); err == nil {
		d.add(checkInfo, "config", "%s exists; aws-vault does not read it (aws-vault import moves its keys to the keyring)", credPath)
	}
	return cfg
}

// keyLiner finds the line of a key in a section (of the section's
// header when the key is not there).
func keyLiner(cfg *config.File) func(section, key string) int {
	sections := map[string]config.Section{}
	for _, sec := range cfg.Outline() {
		sections[sec.Name] = sec
	}
	return func(section, key string) int {
		for _, k := range sections[section].Keys {
			if k.Name == key {
				return k.Line
			}
		}
		return sections[section].Line
	}
}

// sections checks every section of the config file as written.
func (d *doctorRun) sections(cfg *config.File) {
	keyLine := keyLiner(cfg)
	for _, sec := range cfg.Outline() {
		d.section(cfg, sec, keyLine)
	}
}

// profiles resolves every profile with the planning code exec uses.
func (d *doctorRun) profiles(cfg *config.File, kr keyring.Keyring) {
	keyLine := keyLiner(cfg)
	for _, name := range cfg.ProfileNames() {
		d.resolve(cfg, kr, name, keyLine)
	}
}

// section checks one section's keys and references.
func (d *doctorRun) section(cfg *config.File, sec config.Section, keyLine func(string, string) int) {
	at := func(c *check, line int) { c.File, c.Line = cfg.Path, line }
	known := config.ProfileKeys
	profile, isProfile := config.ProfileOf(sec.Name)
	_, isSSO := config.SSOSessionOf(sec.Name)
	switch {
	case isSSO:
		known = config.SSOSessionKeys
	case strings.HasPrefix(sec.Name, "services ") || sec.Name == "plugins" || sec.Name == "preview":
		at(d.add(checkInfo, "config", "[%s] is read by the AWS CLI and SDKs, not by aws-vault", sec.Name), sec.Line)
		return
	case !isProfile:
		at(d.add(checkWarning, "config", "[%s] is not a profile section (write [profile %s]); aws-vault ignores it", sec.Name, sec.Name), sec.Line)
		return
	}
	for _, k := range sec.Keys {
		if !slices.Contains(known, k.Name) {
			at(d.add(checkInfo, "config", "[%s] %s is read by the AWS CLI and SDKs, not by aws-vault", sec.Name, k.Name), k.Line)
		}
	}
	if !isProfile {
		return
	}
	ps, _ := cfg.ProfileSection(profile)
	if ps.IncludeProfile != "" && !cfg.HasProfileSection(ps.IncludeProfile) {
		at(d.add(checkWarning, "profile "+profile, "include_profile %s names no section; only [default] is included", ps.IncludeProfile),
			keyLine(sec.Name, "include_profile"))
	}
}

// resolve plans profile name as exec would plan it, reporting what stops
// it at the line that causes it.
func (d *doctorRun) resolve(cfg *config.File, kr keyring.Keyring, name string, keyLine func(string, string) int) {
	label := "profile " + name
	sec := sectionOf(name)
	p, err := cfg.LoadProfile(name, d.s.Getenv, config.Profile{})
	if err != nil {
		c := d.add(checkError, label, "%v", err)
		c.File, c.Line = cfg.Path, keyLine(sec, "source_profile")
		if ke := (*config.KeyError)(nil); errors.As(err, &ke) {
			c.Line = keyLine(sectionOf(ke.Profile), ke.Key)
		}
		return
	}
	steps, err := vault.PlanChain(chainPolicy(d.s, kr, credFlags{}, false), p)
	if err != nil && name == "default" && !p.HasRole() && p.SourceProfileName == "" && !p.HasCredentialProcess() &&
		!p.HasWebIdentity() && !p.HasSSOStartURL() && p.SSOSession == "" {
		// [default] commonly holds settings for the others only.
		d.add(checkInfo, label, "[default] gives settings to other profiles; it has no credentials of its own")
		return
	}
	if err != nil {
		c := d.add(checkError, label, "%s", strings.TrimPrefix(err.Error(), label+": "))
		c.File, c.Line = cfg.Path, blameLine(p, keyLine)
		return
	}
	for _, st := range steps {
		if st.RequestedSeconds != 0 {
			q := chainProfile(p, st.Profile)
			c := d.add(checkWarning, label, "role of profile %s asks %s but is assumed with temporary credentials: AWS allows 1h (it is capped)",
				st.Profile, time.Duration(st.RequestedSeconds)*time.Second)
			c.File, c.Line = cfg.Path, keyLine(sectionOf(q.ProfileName), "duration_seconds")
			return
		}
	}
	d.add(checkOK, label, "resolves: %s", describeChain(steps))
}

// blameLine is the line of the source_profile that names a missing
// profile, or of an sso_session naming no section, else the profile's
// section header.
func blameLine(p *config.Profile, keyLine func(string, string) int) int {
	for q := p; q != nil; q = q.SourceProfile {
		if q.SourceProfile != nil && !q.SourceProfile.HasSection {
			return keyLine(sectionOf(q.ProfileName), "source_profile")
		}
		if q.SSOSession != "" && !q.SSOSessionFound {
			return keyLine(sectionOf(q.ProfileName), "sso_session")
		}
	}
	return keyLine(sectionOf(p.ProfileName), "")
}

func chainProfile(p *config.Profile, name string) *config.Profile {
	for q := p; q != nil; q = q.SourceProfile {
		if q.ProfileName == name {
			return q
		}
	}
	return p
}

func sectionOf(profile string) string {
	if profile == "default" {
		return profile
	}
	return "profile " + profile
}

func describeChain(steps []vault.PlanStep) string {
	var parts []string
	for _, st := range steps {
		what := st.Action
		if what == "" {
			what = st.Kind
		}
		parts = append(parts, st.Profile+" "+what)
	}
	return strings.Join(parts, " -> ")
}

// openKeyring opens the keyring as exec would, except that nothing may
// ask for the file backend's passphrase: doctor reads item names only.
func (d *doctorRun) openKeyring() (keyring.Keyring, string, []string, error) {
	dir, err := d.s.fileDir()
	if err != nil {
		return nil, "", nil, err
	}
	var skipped []string
	cfg := d.s.keyringConfig(dir, func() (string, error) {
		if pw, ok := d.s.LookupEnv(filePassphraseVar); ok {
			return pw, nil
		}
		return "", errors.New("doctor does not ask for the file keyring's passphrase")
	})
	cfg.NoPrompt, cfg.ReadOnly = true, true
	logf := cfg.Logf
	cfg.Logf = func(format string, args ...any) {
		skipped = append(skipped, fmt.Sprintf(format, args...))
		logf(format, args...)
	}
	kr, name, err := keyring.Open(cfg)
	return kr, name, skipped, err
}

// keyringChecks reports each backend and the one chosen.
func (d *doctorRun) keyringChecks() keyring.Keyring {
	dir, _ := d.s.fileDir()
	for _, b := range keyring.Backends(d.s.keyringConfig(dir, nil)) {
		if b.Err != nil {
			d.add(checkInfo, "keyring", "backend %s cannot be used here: %v", b.Name, b.Err)
		} else {
			d.add(checkInfo, "keyring", "backend %s can be used here", b.Name)
		}
	}
	kr, name, skipped, err := d.openKeyring()
	if errors.Is(err, keyring.ErrNotStarted) {
		d.add(checkWarning, "keyring", "%v; doctor starts nothing, so its items are not listed", err)
		return nil
	}
	if err != nil {
		d.add(checkError, "keyring", "%v", err)
		return nil
	}
	why := "the first backend that opens, in aws-vault's order"
	if d.s.flags.Backend != "" {
		why = "set by --backend or AWS_VAULT_BACKEND"
	}
	msg := fmt.Sprintf("using backend %s: %s", name, why)
	if len(skipped) > 0 {
		msg += " (" + strings.Join(skipped, "; ") + ")"
	}
	d.add(checkOK, "keyring", "%s", msg)
	if name == keyring.FileBackend {
		if _, ok := d.s.LookupEnv(filePassphraseVar); ok {
			d.add(checkOK, "keyring", "the file keyring's passphrase comes from %s", filePassphraseVar)
		} else {
			d.add(checkInfo, "keyring", "the file keyring's passphrase will be asked on the terminal (%s is not set)", filePassphraseVar)
		}
	}
	return kr
}

// storedKeys lists each stored key, which profiles use it, and key ages
// where reading them asks nothing.
func (d *doctorRun) storedKeys(cfg *config.File, kr keyring.Keyring, keys []string) {
	users := map[string][]string{}
	if cfg != nil {
		for _, name := range cfg.ProfileNames() {
			p, err := cfg.LoadProfile(name, d.s.Getenv, config.Profile{})
			if err != nil {
				continue
			}
			for q := p; q != nil; q = q.SourceProfile {
				if slices.Contains(keys, q.ProfileName) && vault.ClassifyKey(q.ProfileName) == vault.KeyCredentials {
					users[q.ProfileName] = append(users[q.ProfileName], name)
					break
				}
			}
		}
	}
	n := 0
	for _, k := range keys {
		if vault.ClassifyKey(k) != vault.KeyCredentials {
			continue
		}
		n++
		if cfg == nil {
			d.add(checkInfo, "stored key "+k, "stored; which profiles use it is unknown (the config file cannot be read)")
			continue
		}
		if u := users[k]; len(u) > 0 {
			d.add(checkOK, "stored key "+k, "used by profile %s", strings.Join(u, ", "))
		} else {
			d.add(checkWarning, "stored key "+k, "no profile of the config file uses it (only aws-vault exec %s would)", k)
		}
	}
	if n == 0 {
		d.add(checkInfo, "keyring", "no keys are stored")
		return
	}
	d.keyAges(kr, keys)
}

// keyAges warns about old keys. Their items are not decrypted: the file
// backend's items say when they were written in a header in the clear;
// other backends' ages are left to rotate --older-than, which asks IAM.
func (d *doctorRun) keyAges(kr keyring.Keyring, keys []string) {
	file, ok := kr.(*keyring.File)
	if !ok {
		d.add(checkInfo, "key age", "not checked: this backend keeps no date outside the encrypted item (aws-vault rotate --older-than checks ages with IAM)")
		return
	}
	maxAge, err := vault.KeyMaxAge(d.s.Getenv)
	if err != nil {
		d.add(checkError, "key age", "%v", err)
		return
	}
	var ages []vault.KeyAge
	for _, k := range keys {
		if vault.ClassifyKey(k) != vault.KeyCredentials {
			continue
		}
		at, err := file.Created(k)
		ages = append(ages, vault.KeyAge{Profile: k, KeyID: "stored " + at.UTC().Format(time.DateOnly), StoredAt: at, Err: err})
	}
	warnings := vault.OldKeyWarnings(ages, d.s.Now(), maxAge)
	for _, w := range warnings {
		d.add(checkWarning, "key age", "%s", w)
	}
	if len(warnings) == 0 {
		d.add(checkOK, "key age", "every stored key is younger than %s (%s)", vault.FormatAge(maxAge), vault.KeyMaxAgeVar)
	}
}

// sessions lists the cached sessions by name: type, profile, expiry.
func (d *doctorRun) sessions(keys []string) {
	now := d.s.Now()
	n := 0
	for _, k := range keys {
		switch vault.ClassifyKey(k) {
		case vault.KeySession:
			key, err := vault.ParseSessionKey(k)
			if err != nil {
				continue
			}
			n++
			exp := key.Expiration.UTC().Format(time.RFC3339)
			if key.Expiration.Before(now) {
				d.add(checkInfo, "session "+key.ProfileName, "%s expired at %s (the next exec removes it)", key.Type, exp)
			} else {
				d.add(checkOK, "session "+key.ProfileName, "%s cached until %s (%s left)", key.Type, exp, key.Expiration.Sub(now).Round(time.Minute))
			}
		case vault.KeyLegacySession:
			n++
			d.add(checkInfo, "session", "an older aws-vault's session item (the next exec removes it)")
		case vault.KeyOIDCToken:
			d.add(checkInfo, "sso", "an SSO access token is stored for %s", strings.TrimPrefix(k, "oidc:"))
		}
	}
	if n == 0 {
		d.add(checkInfo, "session", "no cached sessions")
	}
}

// clock compares the clock with STS's, with --online only.
func (d *doctorRun) clock(ctx context.Context, cfg *config.File) {
	if !d.opts.Online {
		d.add(checkInfo, "clock", "not checked (--online compares it with the STS endpoint's)")
		return
	}
	p := &config.Profile{ProfileName: "default", Region: d.opts.Region}
	if p.Region == "" && cfg != nil {
		if q, err := cfg.LoadProfile("default", d.s.Getenv, config.Profile{}); err == nil {
			p = q
		}
	}
	if p.Region == "" {
		p.Region = "us-east-1"
	}
	loader, err := awsLoader(d.s)
	if err != nil {
		d.add(checkError, "clock", "%v", err)
		return
	}
	ep, skew, err := loader.ClockSkew(ctx, p, d.s.Now)
	switch abs := max(skew, -skew); {
	case err != nil:
		d.add(checkError, "clock", "%v", err)
	case abs >= maxClockSkew:
		d.add(checkError, "clock", "%s off from %s: AWS refuses requests signed more than %s off", skew, ep, maxClockSkew)
	case abs >= maxClockSkew/5:
		d.add(checkWarning, "clock", "%s off from %s", skew, ep)
	default:
		d.add(checkOK, "clock", "agrees with %s (off by less than %s)", ep, maxClockSkew/5)
	}
}

// plan prints the plan exec follows for the profile; exit status 1 when it
// cannot run.
func (d *doctorRun) plan(ctx context.Context) error {
	s, opts := d.s, d.opts
	out := planReport{Version: doctorJSONVersion, Profile: opts.ProfileName}
	steps, err := d.planSteps(ctx)
	out.Steps = steps
	if out.Steps == nil {
		out.Steps = []planStep{}
	}
	if err != nil {
		out.Error = err.Error()
	}
	for _, st := range steps {
		if st.RequestedSeconds != 0 {
			out.Warnings = append(out.Warnings, fmt.Sprintf("profile %s: the role asks %s but is chained from temporary credentials: it is capped to 1h",
				st.Profile, time.Duration(st.RequestedSeconds)*time.Second))
		}
		if st.Runs() && st.MFASerial != "" {
			out.MFACodes++
		}
		if st.Runs() && st.Action != "" {
			out.Calls++
		}
	}
	out.Runnable = err == nil
	mfaFrom := d.mfaFrom()
	for i := range out.Steps {
		if out.Steps[i].MFASerial != "" {
			out.Steps[i].MFAFrom = mfaFrom
			if out.Steps[i].MFAProcess {
				out.Steps[i].MFAFrom = "mfa_process"
			}
		}
	}
	if opts.JSON {
		if err := writeJSON(s.Stdout, out); err != nil {
			return err
		}
	} else {
		printPlan(s.Stdout, &out)
	}
	if err != nil {
		return ExitStatusError{Status: 1}
	}
	return nil
}

// planSteps resolves the profile and plans it as exec would.
func (d *doctorRun) planSteps(ctx context.Context) ([]planStep, error) {
	f := d.opts.credFlags
	home, _ := d.s.HomeDir()
	cfg, err := config.ReadFile(config.FilePath(d.s.Getenv, home))
	if errors.Is(err, os.ErrNotExist) {
		cfg, err = config.Parse(config.FilePath(d.s.Getenv, home), nil)
	}
	if err != nil {
		return nil, err
	}
	p, err := cfg.LoadProfile(d.opts.ProfileName, d.s.Getenv, cmdlineProfile(f))
	if err != nil {
		return nil, err
	}
	kr, _, _, err := d.openKeyring()
	if err != nil {
		return nil, err
	}
	steps, err := vault.PlanChain(chainPolicy(d.s, kr, f, false), p)
	if err != nil {
		return nil, err
	}
	loader, lerr := awsLoader(d.s)
	if lerr == nil {
		lerr = loader.ResolvePlanEndpoints(ctx, steps)
	}
	out := make([]planStep, len(steps))
	for i, st := range steps {
		out[i] = planStep{PlanStep: st}
	}
	return out, lerr
}

// planReport is doctor PROFILE's output.
type planReport struct {
	Version  int        `json:"version"`
	Profile  string     `json:"profile"`
	Runnable bool       `json:"runnable"`
	Error    string     `json:"error,omitempty"`
	Calls    int        `json:"aws_calls"`
	MFACodes int        `json:"mfa_codes"`
	Steps    []planStep `json:"steps"`
	Warnings []string   `json:"warnings,omitempty"`
}

// planStep is a planned step with where its MFA code would come from.
type planStep struct {
	vault.PlanStep
	MFAFrom string `json:"mfa_code_from,omitempty"`
}

// mfaFrom says where exec would get an MFA code, mfa_process aside.
func (d *doctorRun) mfaFrom() string {
	requested, avail := d.s.flags.PromptDriver, prompt.Available(d.s.LookPath)
	term, piped := prompt.Select(requested, avail, true), prompt.Select(requested, avail, false)
	if term == piped {
		return "prompt driver " + term
	}
	return fmt.Sprintf("prompt driver %s (%s when output is not a terminal)", term, piped)
}

func printPlan(w io.Writer, r *planReport) {
	fmt.Fprintf(w, "plan for profile %s:\n", r.Profile)
	for i, st := range r.Steps {
		fmt.Fprintf(w, "%d. %s\n", i+1, stepLine(st))
		for _, n := range st.Notes {
			fmt.Fprintf(w, "   note: %s\n", n)
		}
	}
	for _, warn := range r.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warn)
	}
	if !r.Runnable {
		fmt.Fprintf(w, "error: %s\n", r.Error)
		return
	}
	fmt.Fprintf(w, "ok: the plan can run: %s, %s\n", plural(r.Calls, "AWS call"), plural(r.MFACodes, "MFA code"))
}

func stepLine(st planStep) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: ", st.Profile)
	switch {
	case st.Action != "":
		b.WriteString(st.Action)
	default:
		b.WriteString(st.Kind)
	}
	if st.Source != "" {
		fmt.Fprintf(&b, " from %s", st.Source)
	}
	if st.RoleARN != "" {
		fmt.Fprintf(&b, " %s", st.RoleARN)
	}
	if st.SSORole != "" {
		fmt.Fprintf(&b, " role %s in account %s", st.SSORole, st.SSOAccount)
	}
	if st.Endpoint != "" {
		fmt.Fprintf(&b, " at %s", st.Endpoint)
	}
	if st.Region != "" {
		fmt.Fprintf(&b, " (%s)", st.Region)
	}
	if st.DurationSeconds != 0 {
		fmt.Fprintf(&b, ", %s", time.Duration(st.DurationSeconds)*time.Second)
		if st.RequestedSeconds != 0 {
			fmt.Fprintf(&b, " (capped from %s)", time.Duration(st.RequestedSeconds)*time.Second)
		}
	}
	switch {
	case st.MFASerial != "":
		fmt.Fprintf(&b, ", MFA %s (code from %s)", st.MFASerial, st.MFAFrom)
	case st.MFAChained != "":
		fmt.Fprintf(&b, ", no MFA code (the session has %s)", st.MFAChained)
	case st.Action != "":
		b.WriteString(", no MFA")
	}
	if st.SessionName != "" {
		fmt.Fprintf(&b, ", session name %s", st.SessionName)
	}
	if len(st.SessionTags) > 0 {
		fmt.Fprintf(&b, ", tags %s", strings.Join(st.SessionTags, ","))
	}
	if len(st.TransitiveTags) > 0 {
		fmt.Fprintf(&b, ", transitive %s", strings.Join(st.TransitiveTags, ","))
	}
	b.WriteString(": ")
	switch {
	case !st.Needed:
		b.WriteString("not needed")
	case st.Cache == vault.CacheHit:
		fmt.Fprintf(&b, "cached until %s", st.CachedUntil.Format(time.RFC3339))
	case st.Action != "":
		b.WriteString("AWS call")
		if st.Cache == vault.CacheMiss {
			b.WriteString(" (then cached)")
		}
	case st.Kind == vault.KindCredentialProcess:
		b.WriteString("runs it")
		if st.Cache == vault.CacheMiss {
			b.WriteString(" (then cached)")
		}
	default:
		b.WriteString("read")
	}
	return b.String()
}
