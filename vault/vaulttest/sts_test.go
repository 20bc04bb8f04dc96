package vaulttest

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
)

func TestGetCallerIdentityUser(t *testing.T) {
	w := newWorld(t)
	out, err := w.sts(user("bob")).GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{})
	noErr(t, err)
	if got := aws.ToString(out.Arn); got != "arn:aws:iam::111111111111:user/bob" {
		t.Errorf("Arn = %q", got)
	}
	if got := aws.ToString(out.Account); got != FixtureAccount {
		t.Errorf("Account = %q", got)
	}
	if got := aws.ToString(out.UserId); len(got) != 21 || got[:4] != "AIDA" {
		t.Errorf("UserId = %q", got)
	}
}

func TestGetSessionToken(t *testing.T) {
	w := newWorld(t)
	out, err := w.sts(user("bob")).GetSessionToken(ctx(t), &sts.GetSessionTokenInput{})
	noErr(t, err)
	c := out.Credentials
	if id := aws.ToString(c.AccessKeyId); len(id) != 20 || id[:4] != "ASIA" {
		t.Errorf("AccessKeyId = %q", id)
	}
	if len(aws.ToString(c.SecretAccessKey)) != 40 || len(aws.ToString(c.SessionToken)) < 100 {
		t.Errorf("secret or token too short")
	}
	if d := c.Expiration.Sub(w.clock.Now()); d < 12*time.Hour-time.Second || d > 12*time.Hour {
		t.Errorf("default duration = %v, want 12h", d)
	}
	if got := w.callerARN(t, temp(c)); got != "arn:aws:iam::111111111111:user/bob" {
		t.Errorf("session caller = %q", got)
	}
	if creds := w.aws.IssuedCredentials(); len(creds) != 1 || creds[0].Kind != KindSessionToken || creds[0].MFA {
		t.Errorf("issued = %+v", creds)
	}
}

func TestGetSessionTokenMFA(t *testing.T) {
	w := newWorld(t)
	out, err := w.sts(user("alice")).GetSessionToken(ctx(t), &sts.GetSessionTokenInput{
		DurationSeconds: aws.Int32(900),
		SerialNumber:    aws.String(AliceMFASerial),
		TokenCode:       aws.String(w.mfaCode(AliceMFASerial)),
	})
	noErr(t, err)
	if d := out.Credentials.Expiration.Sub(w.clock.Now()); d > 15*time.Minute || d < 14*time.Minute {
		t.Errorf("duration = %v, want 15m", d)
	}
	if creds := w.aws.IssuedCredentials(); !creds[0].MFA {
		t.Errorf("credentials not marked MFA")
	}
}

func TestStaticMFACodeOncePerStep(t *testing.T) {
	w := newWorld(t)
	in := &sts.GetSessionTokenInput{SerialNumber: aws.String(FrankMFASerial), TokenCode: aws.String(FixtureStaticMFACode)}
	if _, err := w.sts(user("frank")).GetSessionToken(ctx(t), in); err != nil {
		t.Fatal(err)
	}
	_, err := w.sts(user("frank")).GetSessionToken(ctx(t), in)
	wantAPIError(t, err, 403, "AccessDenied", msgMFAInvalidCode)
	w.clock.Advance(totpStep)
	if _, err := w.sts(user("frank")).GetSessionToken(ctx(t), in); err != nil {
		t.Fatal(err)
	}
}

func TestAssumeRole(t *testing.T) {
	w := newWorld(t)
	out, err := w.sts(user("bob")).AssumeRole(ctx(t), &sts.AssumeRoleInput{
		RoleArn: aws.String(ReadOnlyRoleARN), RoleSessionName: aws.String("bob-session"),
		ExternalId: aws.String("ignored"), SourceIdentity: aws.String("bob"),
		Policy:            aws.String(`{"Version":"2012-10-17","Statement":[]}`),
		Tags:              []ststypes.Tag{{Key: aws.String("team"), Value: aws.String("a")}},
		TransitiveTagKeys: []string{"team"},
	})
	noErr(t, err)
	want := "arn:aws:sts::222222222222:assumed-role/ReadOnly/bob-session"
	if got := aws.ToString(out.AssumedRoleUser.Arn); got != want {
		t.Errorf("AssumedRoleUser.Arn = %q", got)
	}
	if aws.ToInt32(out.SessionTokenSize) != int32(len(aws.ToString(out.Credentials.SessionToken))) ||
		aws.ToInt32(out.SessionTokenUtilization) < 1 || aws.ToString(out.SourceIdentity) != "bob" {
		t.Errorf("SessionTokenSize = %v, SessionTokenUtilization = %v, SourceIdentity = %v",
			out.SessionTokenSize, out.SessionTokenUtilization, out.SourceIdentity)
	}
	if d := out.Credentials.Expiration.Sub(w.clock.Now()); d > time.Hour || d < time.Hour-time.Second {
		t.Errorf("default duration = %v", d)
	}
	if got := w.callerARN(t, temp(out.Credentials)); got != want {
		t.Errorf("caller = %q", got)
	}
}

func TestAssumeRoleWithMFA(t *testing.T) {
	w := newWorld(t)
	out, err := w.sts(user("alice")).AssumeRole(ctx(t), &sts.AssumeRoleInput{
		RoleArn: aws.String(AdminRoleARN), RoleSessionName: aws.String("alice"),
		SerialNumber: aws.String(AliceMFASerial), TokenCode: aws.String(w.mfaCode(AliceMFASerial)),
	})
	noErr(t, err)
	if !w.aws.IssuedCredentials()[0].MFA {
		t.Errorf("role session not marked MFA")
	}
	deploy := w.assume(t, temp(out.Credentials), DeployRoleARN)
	if got := w.callerARN(t, deploy); got != "arn:aws:sts::333333333333:assumed-role/Deploy/test" {
		t.Errorf("chained caller = %q", got)
	}
	if last := w.aws.IssuedCredentials()[1]; !last.Chained || !last.MFA {
		t.Errorf("chained session = %+v", last)
	}
}

func TestAssumeRoleViaMFASession(t *testing.T) {
	w := newWorld(t)
	session := w.sessionToken(t, user("alice"), AliceMFASerial)
	admin := w.assume(t, session, AdminRoleARN)
	if got := w.callerARN(t, admin); got != "arn:aws:sts::222222222222:assumed-role/Admin/test" {
		t.Errorf("caller = %q", got)
	}
	if w.aws.IssuedCredentials()[1].Chained {
		t.Errorf("a session-token caller is not role chaining")
	}
}

func TestExternalID(t *testing.T) {
	w := newWorld(t)
	w.aws.AddRole("arn:aws:iam::444444444444:role/Partner", RoleTrust(FixtureAccount), RoleExternalID("xyz"))
	in := &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::444444444444:role/Partner"),
		RoleSessionName: aws.String("s1")}
	_, err := w.sts(user("bob")).AssumeRole(ctx(t), in)
	wantAPIError(t, err, 403, "AccessDenied",
		"User: arn:aws:iam::111111111111:user/bob is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::444444444444:role/Partner")
	in.ExternalId = aws.String("xyz")
	if _, err := w.sts(user("bob")).AssumeRole(ctx(t), in); err != nil {
		t.Fatal(err)
	}
}

func TestGetFederationToken(t *testing.T) {
	w := newWorld(t)
	out, err := w.sts(user("bob")).GetFederationToken(ctx(t), &sts.GetFederationTokenInput{
		Name: aws.String("bob-console"), DurationSeconds: aws.Int32(3600)})
	noErr(t, err)
	want := "arn:aws:sts::111111111111:federated-user/bob-console"
	if got := aws.ToString(out.FederatedUser.Arn); got != want {
		t.Errorf("FederatedUser.Arn = %q", got)
	}
	if got := aws.ToString(out.FederatedUser.FederatedUserId); got != "111111111111:bob-console" {
		t.Errorf("FederatedUserId = %q", got)
	}
	if got := w.callerARN(t, temp(out.Credentials)); got != want {
		t.Errorf("caller = %q", got)
	}
}

func TestAssumeRoleWithWebIdentity(t *testing.T) {
	w := newWorld(t)
	out, err := w.sts(keys{}).AssumeRoleWithWebIdentity(ctx(t), &sts.AssumeRoleWithWebIdentityInput{
		RoleArn: aws.String(ReadOnlyRoleARN), RoleSessionName: aws.String("ci"),
		WebIdentityToken: aws.String(FixtureWebIdentityToken)})
	noErr(t, err)
	if got := aws.ToString(out.SubjectFromWebIdentityToken); got != FixtureWebIdentitySub {
		t.Errorf("subject = %q", got)
	}
	if got := w.callerARN(t, temp(out.Credentials)); got != "arn:aws:sts::222222222222:assumed-role/ReadOnly/ci" {
		t.Errorf("caller = %q", got)
	}
	if r := w.aws.RequestsFor("AssumeRoleWithWebIdentity"); len(r) != 1 || r[0].AccessKeyID != "" || r[0].Code != "OK" {
		t.Errorf("recorded %+v", r)
	}
	_, err = w.sts(keys{}).AssumeRoleWithWebIdentity(ctx(t), &sts.AssumeRoleWithWebIdentityInput{
		RoleArn: aws.String(ReadOnlyRoleARN), RoleSessionName: aws.String("ci"),
		WebIdentityToken: aws.String("forged")})
	wantAPIError(t, err, 400, "InvalidIdentityToken", "")
	_, err = w.sts(keys{}).AssumeRoleWithWebIdentity(ctx(t), &sts.AssumeRoleWithWebIdentityInput{
		RoleArn: aws.String(AdminRoleARN), RoleSessionName: aws.String("ci"),
		WebIdentityToken: aws.String(FixtureWebIdentityToken)})
	wantAPIError(t, err, 403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity")
}
