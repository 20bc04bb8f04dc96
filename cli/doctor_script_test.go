//go:build unix

package cli_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/awsvault/aws-vault/vault/vaulttest"
	"github.com/rogpeppe/go-internal/testscript"
)

// doctorAdmin12hRole is a role alice may assume with MFA for up to 12
// hours, for plans with --duration over an hour.
const doctorAdmin12hRole = "arn:aws:iam::222222222222:role/Admin12h"

// TestDoctorScripts runs cli/testdata/doctor: doctor's checks and plans,
// and that exec makes exactly the AWS calls doctor planned.
func TestDoctorScripts(t *testing.T) {
	t.Parallel()
	p := scriptParams(t, "testdata/doctor")
	setup := p.Setup
	p.Setup = func(env *testscript.Env) error {
		if err := setup(env); err != nil {
			return err
		}
		env.Values["aws"].(*vaulttest.AWS).AddRole(doctorAdmin12hRole, vaulttest.RoleTrust("arn:aws:iam::111111111111:user/alice"),
			vaulttest.RoleRequireMFA(), vaulttest.RoleMaxSessionDuration(12*time.Hour))
		return nil
	}
	p.Cmds["planned"] = cmdPlanned
	p.Cmds["plancached"] = cmdPlanCached
	p.Cmds["nowplus"] = cmdNowPlus
	testscript.Run(t, p)
}

// doctorPlan is the part of doctor PROFILE --json the commands check.
type doctorPlan struct {
	Version  int  `json:"version"`
	Runnable bool `json:"runnable"`
	Calls    int  `json:"aws_calls"`
	Steps    []struct {
		Kind            string `json:"kind"`
		Profile         string `json:"profile"`
		Action          string `json:"action"`
		RoleARN         string `json:"role_arn"`
		Endpoint        string `json:"endpoint"`
		DurationSeconds int    `json:"duration_seconds"`
		MFASerial       string `json:"mfa_serial"`
		Cache           string `json:"cache"`
		Needed          bool   `json:"needed"`
	} `json:"steps"`
}

func readPlan(ts *testscript.TestScript, file string) doctorPlan {
	var p doctorPlan
	if err := json.Unmarshal([]byte(ts.ReadFile(file)), &p); err != nil {
		ts.Fatalf("%s: %v", file, err)
	}
	if p.Version != 1 {
		ts.Fatalf("%s: version %d, want 1", file, p.Version)
	}
	return p
}

// planned FILE: the AWS calls made since the last awscalls (or planned)
// are exactly the calls of the plan in FILE (doctor --json output), in
// order: host, action, role ARN, duration, MFA.
func cmdPlanned(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: planned plan.json")
	}
	p := readPlan(ts, args[0])
	var want []string
	for _, s := range p.Steps {
		if !s.Needed || s.Cache == "hit" || s.Action == "" {
			continue
		}
		u, err := url.Parse(s.Endpoint)
		if err != nil || u.Host == "" {
			ts.Fatalf("step %s of %s: endpoint %q", s.Action, s.Profile, s.Endpoint)
		}
		want = append(want, fmt.Sprintf("%s %s %s %d mfa=%v", u.Host, s.Action, s.RoleARN, s.DurationSeconds, s.MFASerial != ""))
	}
	if len(want) != p.Calls {
		ts.Fatalf("plan counts %d calls, lists %d", p.Calls, len(want))
	}
	a := emulator(ts)
	var got []string
	for _, r := range a.Requests() {
		if r.Service == "proxy" {
			continue
		}
		got = append(got, fmt.Sprintf("%s %s %s %d mfa=%v", r.Host, r.Action, r.Params["RoleArn"], r.DurationSeconds, r.MFA))
	}
	a.Reset()
	if !slices.Equal(got, want) {
		ts.Fatalf("AWS calls made:\n\t%s\nplanned:\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
	fmt.Fprintln(ts.Stdout(), strings.Join(want, "\n"))
}

// plancached FILE: the plan in FILE makes no AWS call: each step with one
// is served by a cached session or not needed.
func cmdPlanCached(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: plancached plan.json")
	}
	p := readPlan(ts, args[0])
	for _, s := range p.Steps {
		if s.Action != "" && s.Needed && s.Cache != "hit" {
			ts.Fatalf("step %s of %s is neither cached nor unneeded (cache %s)", s.Action, s.Profile, s.Cache)
		}
	}
	if p.Calls != 0 || !p.Runnable {
		ts.Fatalf("plan: %d calls, runnable %v", p.Calls, p.Runnable)
	}
}
