package vault

import (
	"encoding/json"
	"testing"
	"time"
)

// checkIssuanceJSON fails t unless appendIssuance writes what
// json.Marshal writes for rec (or both fail).
func checkIssuanceJSON(t *testing.T, rec Issuance) {
	t.Helper()
	want, wantErr := json.Marshal(rec)
	got, err := appendIssuance([]byte("prefix"), &rec)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("appendIssuance error %v, json.Marshal error %v", err, wantErr)
	}
	if err == nil && string(got) != "prefix"+string(want) {
		t.Errorf("appendIssuance =\n%s\njson.Marshal =\n%s", got[len("prefix"):], want)
	}
}

// appendIssuance writes what json.Marshal writes for an Issuance: HTML
// characters, control characters, U+2028/U+2029, invalid UTF-8, empty,
// nil and full step lists, zero and non-UTC times, absent processes.
func TestIssuanceJSONIsEncodingJSON(t *testing.T) {
	odd := "a<b>c&d\"e\\f\x00\x01\x1f\x7f\b\f\n\r\t é\u2028\u2029\xff\xc3 𝄞\ufffd/"
	at := time.Date(2026, 3, 4, 5, 6, 7, 891, time.UTC)
	full := Issuance{Time: at, Version: "v<1>", Command: "exec", Output: "json", Profile: odd,
		Steps: []Step{
			{Kind: KindStored, Profile: "p"},
			{Kind: KindAssumeRole, Profile: odd, RoleARN: "arn:aws:iam::1:role/a&b", SessionName: odd, MFA: true, MFASerial: odd, Cached: true},
		},
		Expires: at.Add(time.Hour), KeyIDLast4: "Y1XG",
		Caller:       Process{PID: 42, Exe: "/usr/bin/aws", Name: odd},
		CallerParent: Process{PID: -1},
		Dir:          odd,
	}
	recs := []Issuance{
		{},
		{Steps: []Step{}},
		{Steps: []Step{{}}},
		full,
		{Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("x", -7*3600)), Expires: time.Unix(0, 0)},
		{Time: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)},                 // both fail
		{Expires: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},           // both fail
		{Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("", 30))}, // seconds in the offset
	}
	for i := 0; i < 0x100; i++ {
		recs = append(recs, Issuance{Profile: string(rune(i)), Dir: string([]byte{byte(i)}), Version: "x" + string([]byte{byte(i)}) + "y"})
	}
	for _, rec := range recs {
		checkIssuanceJSON(t, rec)
	}
}

// FuzzIssuanceJSON: appendIssuance and json.Marshal agree on any field
// values.
func FuzzIssuanceJSON(f *testing.F) {
	f.Add("v1", "exec", "", "plain", "sts.GetSessionToken", "arn:aws:iam::1:role/r", "", "/bin/<bash>", "a&b\u2028", "/tmp\xff", int64(1796227073), int64(0), 3, true, false)
	f.Add("", "", "json", "\x00", "", "", "\x7f\"\\", "", "", "", int64(-62135596800), int64(1e18), -1, false, true)
	f.Fuzz(func(t *testing.T, version, command, output, profile, kind, role, serial, exe, name, dir string,
		sec, nsec int64, pid int, mfa, noSteps bool) {
		rec := Issuance{
			Time: time.Unix(sec, nsec).UTC(), Version: version, Command: command, Output: output, Profile: profile,
			Steps: []Step{{Kind: kind, Profile: profile, RoleARN: role, SessionName: name, MFA: mfa, MFASerial: serial, Cached: !mfa},
				{Kind: name, Profile: dir}},
			Expires: time.Unix(nsec, sec), KeyIDLast4: name,
			Caller: Process{PID: pid, Exe: exe, Name: name}, CallerParent: Process{PID: pid / 2, Exe: dir},
			Dir: dir,
		}
		if noSteps {
			rec.Steps = nil
		}
		checkIssuanceJSON(t, rec)
	})
}
