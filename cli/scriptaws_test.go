package cli_test

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/awsvault/aws-vault/vault/vaulttest"
	"github.com/rogpeppe/go-internal/testscript"
)

// startEmulator gives each script its own fixture AWS, reached as the real
// AWS host names through HTTPS_PROXY with the emulator's CA, as a user's
// corporate proxy would be.
func startEmulator(env *testscript.Env) error {
	aws := vaulttest.Fixture()
	proxy, err := aws.StartProxy(env.WorkDir)
	if err != nil {
		return err
	}
	env.Defer(func() { proxy.Close() })
	env.Values["aws"] = aws
	env.Setenv("HTTPS_PROXY", proxy.URL)
	env.Setenv("AWS_CA_BUNDLE", proxy.CAFile)
	env.Setenv("NO_PROXY", "")
	return nil
}

func emulator(ts *testscript.TestScript) *vaulttest.AWS {
	return ts.Value("aws").(*vaulttest.AWS)
}

// awscalls prints the AWS calls made since the last awscalls, one a line:
// "host Action [DurationSeconds=N] [Param=V ...] [mfa], signed with KEY -> CODE".
// Temporary key ids print as ASIAXXXXXXXXXXXXXXXX.
func cmdAWSCalls(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("usage: awscalls")
	}
	a := emulator(ts)
	w := ts.Stdout() // set even when there were no calls
	for _, r := range a.Requests() {
		fmt.Fprintln(w, formatCall(r))
	}
	a.Reset()
}

func formatCall(r vaulttest.Request) string {
	parts := []string{r.Host, r.Action}
	if r.DurationSeconds != 0 {
		parts = append(parts, fmt.Sprintf("DurationSeconds=%d", r.DurationSeconds))
	}
	var keys []string
	for k := range r.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts = append(parts, k+"="+maskKey(r.Params[k]))
	}
	if r.MFA {
		parts = append(parts, "mfa")
	}
	return fmt.Sprintf("%s, signed with %s -> %s", strings.Join(parts, " "), maskKey(r.AccessKeyID), r.Code)
}

func maskKey(id string) string {
	if strings.HasPrefix(id, "ASIA") && len(id) == 20 {
		return "ASIAXXXXXXXXXXXXXXXX"
	}
	return id
}

// totp SERIAL VAR [+STEPS]: sets VAR to the device's TOTP code, optionally
// some 30 s steps ahead (the emulator accepts one step either side).
func cmdTOTP(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: totp serial var [+steps]")
	}
	secret := map[string]string{vaulttest.AliceMFASerial: vaulttest.AliceTOTPSecret, vaulttest.FrankMFASerial: vaulttest.FrankTOTPSecret}[args[0]]
	if secret == "" {
		ts.Fatalf("no fixture device %s", args[0])
	}
	at := time.Now()
	if len(args) == 3 {
		var steps int
		fmt.Sscanf(args[2], "+%d", &steps)
		at = at.Add(time.Duration(steps) * 30 * time.Second)
	}
	ts.Setenv(args[1], vaulttest.TOTP(secret, at))
}

// awsfault ACTION STATUS CODE [TIMES [AFTER]]: makes the next calls of
// ACTION fail (TIMES of them; after letting AFTER calls through).
func cmdAWSFault(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 3 || len(args) > 5 {
		ts.Fatalf("usage: awsfault action status code [times [after]]")
	}
	var status, times, after int
	fmt.Sscanf(args[1], "%d", &status)
	if len(args) >= 4 {
		fmt.Sscanf(args[3], "%d", &times)
	}
	if len(args) == 5 {
		fmt.Sscanf(args[4], "%d", &after)
	}
	emulator(ts).Fault(args[0], vaulttest.FaultSpec{Status: status, Code: args[2], Times: times, After: after})
}
