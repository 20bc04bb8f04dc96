package vaulttest

import (
	"encoding/base32"
	"testing"
	"time"
)

func TestTOTPVectors(t *testing.T) {
	// RFC 6238 appendix B, SHA1, truncated to 6 digits.
	secret := base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))
	for unix, want := range map[int64]string{
		59: "287082", 1111111109: "081804", 1111111111: "050471",
		1234567890: "005924", 2000000000: "279037", 20000000000: "353130",
	} {
		if got := TOTP(secret, time.Unix(unix, 0)); got != want {
			t.Errorf("TOTP at %d = %s, want %s", unix, got, want)
		}
	}
	if TOTP("not base32!", time.Now()) != "" || TOTP("", time.Now()) != "" {
		t.Error("TOTP accepted a bad secret")
	}
	if TOTP("gezd gnbv gy3t qojq gezd gnbv gy3t qojq", time.Unix(59, 0)) != "287082" {
		t.Error("TOTP should ignore case and spaces")
	}
}

func TestTOTPWindow(t *testing.T) {
	clock := NewClock(time.Unix(1700000000, 0))
	a := Fixture(WithClock(clock.Now))
	a.mu.Lock()
	defer a.mu.Unlock()
	prev := TOTP(AliceTOTPSecret, clock.Now().Add(-totpStep))
	next := TOTP(AliceTOTPSecret, clock.Now().Add(totpStep))
	old := TOTP(AliceTOTPSecret, clock.Now().Add(-2*totpStep))
	for code, ok := range map[string]bool{prev: true, next: true, old: false} {
		if _, err := a.checkMFALocked(AliceMFASerial, code, nil); (err == nil) != ok {
			t.Errorf("code %s accepted=%v, want %v", code, err == nil, ok)
		}
	}
}

func TestClassifyHost(t *testing.T) {
	for host, want := range map[string]endpoint{
		"sts.amazonaws.com":                   {serviceSTS, "us-east-1"},
		"sts.amazonaws.com:443":               {serviceSTS, "us-east-1"},
		"STS.EU-WEST-1.amazonaws.com":         {serviceSTS, "eu-west-1"},
		"sts.cn-northwest-1.amazonaws.com.cn": {serviceSTS, "cn-northwest-1"},
		"sts.us-gov-east-1.amazonaws.com":     {serviceSTS, "us-gov-east-1"},
		"iam.amazonaws.com":                   {serviceIAM, "us-east-1"},
		"iam.cn-north-1.amazonaws.com.cn":     {serviceIAM, "cn-north-1"},
		"iam.us-gov.amazonaws.com":            {serviceIAM, "us-gov-west-1"},
		"signin.aws.amazon.com":               {serviceSignin, ""},
		"us-east-2.signin.aws.amazon.com":     {serviceSignin, ""},
		"signin.amazonaws-eusc.eu":            {serviceSignin, ""},
		"127.0.0.1:8080":                      {},
		"s3.amazonaws.com":                    {},
		"sts.cn-north-1.amazonaws.com":        {},
		"sts.eu-west-1.amazonaws.com.cn":      {},
		"sts.evil.amazonaws.com":              {},
		"sts.amazonaws.com.evil.example":      {},
		"iam.eu-west-1.amazonaws.com":         {},
	} {
		if got := classifyHost(host); got != want {
			t.Errorf("classifyHost(%q) = %+v, want %+v", host, got, want)
		}
	}
}

func TestFixtureWorld(t *testing.T) {
	a := Fixture()
	if u, ok := a.User("frank"); !ok || !u.MFARequired || u.ARN != frankARN {
		t.Errorf("frank = %+v", u)
	}
	if k := a.AccessKeys("alice"); len(k) != 1 || k[0].AccessKeyID != AliceAccessKeyID || k[0].SecretAccessKey != AliceSecretAccessKey {
		t.Errorf("alice keys = %+v", k)
	}
	if a.TOTPCode(AliceMFASerial) != TOTP(AliceTOTPSecret, time.Now()) || a.TOTPCode("nope") != "" {
		t.Error("TOTPCode")
	}
	for _, fu := range FixtureUsers() {
		if len(fu.AccessKeyID) != 20 || len(fu.SecretAccessKey) != 40 {
			t.Errorf("%s: malformed fixture key", fu.Name)
		}
	}
}

func TestSetupPanicsOnMistakes(t *testing.T) {
	a := Fixture()
	for name, f := range map[string]func(){
		"bad account":    func() { a.AddUser("12", "x") },
		"duplicate user": func() { a.AddUser(FixtureAccount, "bob") },
		"bad role ARN":   func() { a.AddRole("arn:aws:iam::1:user/x") },
		"duplicate role": func() { a.AddRole(AdminRoleARN) },
		"role duration":  func() { a.AddRole("arn:aws:iam::123456789012:role/X", RoleMaxSessionDuration(time.Minute)) },
		"device owner":   func() { a.AddMFADevice("nobody") },
		"device secret":  func() { a.AddMFADevice("bob", DeviceSecret("!!")) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}
