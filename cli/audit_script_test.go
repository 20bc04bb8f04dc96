package cli_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/keyring/keyringtest"
	"github.com/awsvault/aws-vault/vault/vaulttest"
	"github.com/rogpeppe/go-internal/testscript"
)

// TestAuditScripts runs testdata/audit: the issuance log written by exec,
// export and login (the real AWS CLI as a client among them), the audit
// command, and rotation by key age, checked with aws-vault v7.2.0 itself.
func TestAuditScripts(t *testing.T) {
	t.Parallel()
	p := scriptParams(t, "testdata/audit")
	v7, why := v7Binary()
	setup := p.Setup
	p.Setup = func(env *testscript.Env) error {
		env.Setenv("V7BIN", v7)
		// aws-vault v7.2.0 launches a dbus-daemon, which outlives it, when
		// no session bus is set: give it one that refuses connections.
		env.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(env.WorkDir, "no-bus"))
		return setup(env)
	}
	p.Condition = func(cond string) (bool, error) {
		if cond != "v7" {
			return realToolCondition(cond)
		}
		if v7 == "" && keyringtest.RequireReal() {
			return false, fmt.Errorf("aws-vault v7.2.0 is not available (%s); make test builds it with vault/vaulttest/v7ref.sh", why)
		}
		return v7 != "", nil
	}
	for name, cmd := range map[string]func(*testscript.TestScript, bool, []string){
		"auditlog": cmdAuditLog, "auditsecrets": cmdAuditSecrets, "last4": cmdLast4, "bigfile": cmdBigFile,
		"iamkeydate": cmdIAMKeyDate, "iamkeys": cmdIAMKeys, "cmpmask": cmdCmpMask, "awsfault": cmdAWSFault,
	} {
		p.Cmds[name] = cmd
	}
	testscript.Run(t, p)
}

// v7Binary finds aws-vault v7.2.0 as vault/vaulttest/v7ref.sh builds it:
// $AWS_VAULT_V7_BIN, else its cache directory. It returns "" and why when
// there is none.
func v7Binary() (string, string) {
	if p := os.Getenv("AWS_VAULT_V7_BIN"); p != "" {
		return p, ""
	}
	cache := os.Getenv("AWS_VAULT_BENCH_CACHE")
	if cache == "" {
		base := os.Getenv("XDG_CACHE_HOME")
		if base == "" {
			home, _ := os.UserHomeDir()
			base = filepath.Join(home, ".cache")
		}
		cache = filepath.Join(base, "aws-vault-bench")
	}
	name := "aws-vault-v7.2.0"
	if runtime.GOOS == "linux" {
		name += "-nocgo"
	}
	path := filepath.Join(cache, name)
	if st, err := os.Stat(path); err != nil || st.Mode()&0o111 == 0 {
		return "", "no executable " + path
	}
	return path, ""
}

// auditlog [FILE]: prints each line of the issuance log (default
// $HOME/.awsvault/audit.log) as
// "command output profile | steps | key=LAST4 exp=yes|no | caller=NAME[EXE] < NAME[EXE] | cwd=DIR",
// where EXE is the base name of the executable; a line that is not a
// whole record fails the command.
func cmdAuditLog(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) > 1 {
		ts.Fatalf("usage: auditlog [file]")
	}
	path := filepath.Join(ts.Getenv("HOME"), ".awsvault", "audit.log")
	if len(args) == 1 {
		path = ts.MkAbs(args[0])
	}
	data, err := os.ReadFile(path)
	ts.Check(err)
	for i, line := range strings.SplitAfter(string(data), "\n") {
		if line == "" {
			continue
		}
		var rec vault.Issuance
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		if !strings.HasSuffix(line, "\n") || dec.Decode(&rec) != nil || rec.Time.IsZero() {
			ts.Fatalf("line %d of %s is not a whole record: %q", i+1, path, line)
		}
		if rec.Version != testVersion || time.Since(rec.Time) > time.Hour || rec.Time.Location() != time.UTC {
			ts.Fatalf("line %d: version %q, time %s", i+1, rec.Version, rec.Time)
		}
		exp := "no"
		if !rec.Expires.IsZero() {
			exp = "yes"
		}
		fmt.Fprintf(ts.Stdout(), "%s %s %s | %s | key=%s exp=%s | caller=%s < %s | cwd=%s\n", rec.Command, rec.Output,
			rec.Profile, auditSteps(rec.Steps), rec.KeyIDLast4, exp, auditProc(rec.Caller), auditProc(rec.CallerParent), rec.Dir)
	}
}

func auditSteps(steps []vault.Step) string {
	var out []string
	for _, s := range steps {
		kind := map[string]string{vault.KindStored: "key", vault.KindSessionToken: "session", vault.KindAssumeRole: "role",
			vault.KindCredentialProcess: "process", vault.KindFederationToken: "federation"}[s.Kind]
		if kind == "" {
			kind = s.Kind
		}
		text := kind + ":" + s.Profile
		if s.RoleARN != "" {
			text += ":" + s.RoleARN[strings.LastIndex(s.RoleARN, "/")+1:]
		}
		if s.SessionName != "" {
			text += ":" + s.SessionName
		}
		if s.MFA {
			text += "+mfa:" + s.MFASerial[strings.LastIndex(s.MFASerial, "/")+1:]
		}
		if s.Cached {
			text += "+cached"
		}
		out = append(out, text)
	}
	return strings.Join(out, " > ")
}

func auditProc(p vault.Process) string {
	if p.PID <= 0 {
		return "none"
	}
	return p.Name + "[" + filepath.Base(p.Exe) + "]"
}

// auditsecrets [FILE...]: fails if the issuance log holds any secret: a
// full access key id, secret key or session token the emulator issued or
// holds, a fixture key, or a sign-in token found in FILE (login's URL).
func cmdAuditSecrets(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("usage: auditsecrets [file...]")
	}
	dir := filepath.Join(ts.Getenv("HOME"), ".awsvault")
	var log string
	for _, name := range []string{"audit.log.1", "audit.log"} {
		if data, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
			log += string(data)
		}
	}
	if log == "" {
		ts.Fatalf("no issuance log in %s", dir)
	}
	a := emulator(ts)
	var secrets []string
	for _, c := range a.IssuedCredentials() {
		secrets = append(secrets, c.AccessKeyID, c.SecretAccessKey, c.SessionToken)
	}
	for _, u := range vaulttest.FixtureUsers() {
		secrets = append(secrets, u.AccessKeyID, u.SecretAccessKey)
		for _, k := range a.AccessKeys(u.Name) {
			secrets = append(secrets, k.AccessKeyID, k.SecretAccessKey)
		}
	}
	for _, f := range args {
		for _, m := range signinTokenValue.FindAllStringSubmatch(ts.ReadFile(f), -1) {
			secrets = append(secrets, strings.TrimPrefix(m[0], m[1]))
		}
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(log, s) {
			ts.Fatalf("the issuance log holds a secret or a full key id (…%s)", s[len(s)-4:])
		}
	}
	fmt.Fprintf(ts.Stdout(), "checked %d secrets\n", len(secrets))
}

var accessKeyInOutput = regexp.MustCompile(`(?:"AccessKeyId": "|AWS_ACCESS_KEY_ID=|aws_access_key_id=)([A-Z0-9]{16,})`)

// last4 VAR FILE sets VAR to the last four characters of the access key
// id in FILE (credential_process JSON, export's env or ini output).
// "last4 VAR signin" takes the key of the last console sign-in the
// emulator saw.
func cmdLast4(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: last4 var file|signin")
	}
	if args[1] == "signin" {
		reqs := emulator(ts).RequestsFor("getSigninToken")
		if len(reqs) == 0 {
			ts.Fatalf("no sign-in recorded")
		}
		id := reqs[len(reqs)-1].AccessKeyID
		ts.Setenv(args[0], id[len(id)-4:])
		return
	}
	m := accessKeyInOutput.FindStringSubmatch(ts.ReadFile(args[1]))
	if m == nil {
		ts.Fatalf("no access key id in %s", args[1])
	}
	ts.Setenv(args[0], m[1][len(m[1])-4:])
}

// bigfile FILE SIZE writes well-formed issuance records (profile filler)
// to FILE until it is SIZE bytes long at least.
func cmdBigFile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: bigfile file size")
	}
	size, err := strconv.Atoi(args[1])
	ts.Check(err)
	line := `{"time":"2026-01-01T00:00:00Z","version":"v","command":"exec","profile":"filler","steps":[],"key_id_last4":"FILL","caller":{"pid":1},"caller_parent":{"pid":0}}` + "\n"
	data := strings.Repeat(line, size/len(line)+1)
	path := ts.MkAbs(args[0])
	ts.Check(os.MkdirAll(filepath.Dir(path), 0o700))
	ts.Check(os.WriteFile(path, []byte(data), 0o600))
}

// iamkeydate USER TIME sets the CreateDate of the user's access keys at the
// emulated IAM (RFC 3339), as for keys made long ago.
func cmdIAMKeyDate(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: iamkeydate user time")
	}
	at, err := time.Parse(time.RFC3339, args[1])
	ts.Check(err)
	a := emulator(ts)
	for _, k := range a.AccessKeys(args[0]) {
		ts.Check(a.SetAccessKeyCreateDate(k.AccessKeyID, at))
	}
}
