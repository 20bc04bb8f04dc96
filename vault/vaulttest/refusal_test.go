package vaulttest

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

const (
	aliceARN = "arn:aws:iam::111111111111:user/alice"
	bobARN   = "arn:aws:iam::111111111111:user/bob"
	frankARN = "arn:aws:iam::111111111111:user/frank"
)

// refusal is one row of the refusal table: a call and AWS's answer to it.
type refusal struct {
	name    string
	call    func(t *testing.T, w *world) error
	status  int
	code    string
	message string
}

func TestRefusals(t *testing.T) {
	for _, tc := range refusals() {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			wantAPIError(t, tc.call(t, w), tc.status, tc.code, tc.message)
			if got := w.aws.Requests(); got[len(got)-1].Code != tc.code || got[len(got)-1].Status != tc.status {
				t.Errorf("recorded %+v", got[len(got)-1])
			}
		})
	}
}

// refusals lists the refusal table.
func refusals() []refusal {
	return concat(signingRefusals(), mfaRefusals(), trustRefusals(), durationRefusals(), sessionRefusals())
}

// concat joins tables.
func concat(tables ...[]refusal) []refusal {
	var out []refusal
	for _, t := range tables {
		out = append(out, t...)
	}
	return out
}

// callerIdentity calls GetCallerIdentity with k.
func callerIdentity(t *testing.T, w *world, k keys) error {
	_, err := w.sts(k).GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{})
	return err
}

func signingRefusals() []refusal {
	return []refusal{
		{"wrong secret", func(t *testing.T, w *world) error {
			return callerIdentity(t, w, keys{BobAccessKeyID, strings.Repeat("x", 40), ""})
		}, 403, "SignatureDoesNotMatch", msgSignatureBad},
		{"unknown key", func(t *testing.T, w *world) error {
			return callerIdentity(t, w, keys{"AKIAUNKNOWN000000000", BobSecretAccessKey, ""})
		}, 403, "InvalidClientTokenId", msgInvalidToken},
		{"inactive key", func(t *testing.T, w *world) error {
			w.aws.Revoke(BobAccessKeyID)
			return callerIdentity(t, w, user("bob"))
		}, 403, "InvalidClientTokenId", msgInvalidToken},
		{"deleted key", func(t *testing.T, w *world) error {
			_, err := w.iam(user("bob")).DeleteAccessKey(ctx(t), &iam.DeleteAccessKeyInput{AccessKeyId: aws.String(BobAccessKeyID)})
			noErr(t, err)
			return callerIdentity(t, w, user("bob"))
		}, 403, "InvalidClientTokenId", msgInvalidToken},
		{"wrong session token", func(t *testing.T, w *world) error {
			k := w.sessionToken(t, user("bob"), "")
			k.token = "bm90IHRoZSB0b2tlbg=="
			return callerIdentity(t, w, k)
		}, 403, "InvalidClientTokenId", msgInvalidToken},
		{"expired session", func(t *testing.T, w *world) error {
			k := w.sessionToken(t, user("bob"), "")
			w.clock.Advance(12*time.Hour + time.Second)
			return callerIdentity(t, w, k)
		}, 403, "ExpiredToken", msgExpiredToken},
		{"revoked session", func(t *testing.T, w *world) error {
			k := w.sessionToken(t, user("bob"), "")
			w.aws.Revoke(k.id)
			return callerIdentity(t, w, k)
		}, 403, "ExpiredToken", msgExpiredToken},
		{"signature too old", func(t *testing.T, w *world) error {
			w.clock.Advance(10 * time.Minute)
			return callerIdentity(t, w, user("bob"))
		}, 403, "SignatureDoesNotMatch", ""},
		{"unsigned", func(t *testing.T, w *world) error {
			_, err := sts.NewFromConfig(w.config(keys{}), func(o *sts.Options) { o.Credentials = aws.AnonymousCredentials{} }).
				GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{})
			return err
		}, 403, "MissingAuthenticationToken", msgMissingAuth},
	}
}

func mfaRefusals() []refusal {
	return []refusal{
		{"wrong MFA code", func(t *testing.T, w *world) error {
			_, err := w.sts(user("alice")).GetSessionToken(ctx(t), &sts.GetSessionTokenInput{
				SerialNumber: aws.String(AliceMFASerial), TokenCode: aws.String(wrongCode(w.mfaCode(AliceMFASerial)))})
			return err
		}, 403, "AccessDenied", msgMFAInvalidCode},
		{"replayed MFA code", func(t *testing.T, w *world) error {
			code := w.mfaCode(AliceMFASerial)
			in := &sts.AssumeRoleInput{RoleArn: aws.String(AdminRoleARN), RoleSessionName: aws.String("s1"),
				SerialNumber: aws.String(AliceMFASerial), TokenCode: aws.String(code)}
			_, err := w.sts(user("alice")).AssumeRole(ctx(t), in)
			noErr(t, err)
			w.clock.Advance(totpStep) // still inside the ±1 step window
			_, err = w.sts(user("alice")).AssumeRole(ctx(t), in)
			return err
		}, 403, "AccessDenied", msgMFAInvalidCode},
		{"someone else's device", func(t *testing.T, w *world) error {
			_, err := w.sts(user("bob")).GetSessionToken(ctx(t), &sts.GetSessionTokenInput{
				SerialNumber: aws.String(AliceMFASerial), TokenCode: aws.String(w.mfaCode(AliceMFASerial))})
			return err
		}, 403, "AccessDenied", msgMFAUnknownDevice},
		{"missing MFA", func(t *testing.T, w *world) error {
			_, err := w.sts(user("alice")).AssumeRole(ctx(t), &sts.AssumeRoleInput{
				RoleArn: aws.String(AdminRoleARN), RoleSessionName: aws.String("s1")})
			return err
		}, 403, "AccessDenied", "User: " + aliceARN + " is not authorized to perform: sts:AssumeRole on resource: " + AdminRoleARN},
		{"malformed token code", func(t *testing.T, w *world) error {
			_, err := w.sts(user("alice")).GetSessionToken(ctx(t), &sts.GetSessionTokenInput{
				SerialNumber: aws.String(AliceMFASerial), TokenCode: aws.String("12a456")})
			return err
		}, 400, "ValidationError", ""},
	}
}

// wrongCode returns a six-digit code different from code.
func wrongCode(code string) string {
	if code == "000000" {
		return "000001"
	}
	return "000000"
}

func trustRefusals() []refusal {
	return []refusal{
		{"untrusted caller", func(t *testing.T, w *world) error {
			_, err := w.sts(user("bob")).AssumeRole(ctx(t), &sts.AssumeRoleInput{
				RoleArn: aws.String(AdminRoleARN), RoleSessionName: aws.String("s1")})
			return err
		}, 403, "AccessDenied", "User: " + bobARN + " is not authorized to perform: sts:AssumeRole on resource: " + AdminRoleARN},
		{"unknown role", func(t *testing.T, w *world) error {
			_, err := w.sts(user("bob")).AssumeRole(ctx(t), &sts.AssumeRoleInput{
				RoleArn: aws.String("arn:aws:iam::222222222222:role/Nope"), RoleSessionName: aws.String("s1")})
			return err
		}, 403, "AccessDenied", ""},
		{"user cannot chain from a user-only trust", func(t *testing.T, w *world) error {
			_, err := w.sts(user("bob")).AssumeRole(ctx(t), &sts.AssumeRoleInput{
				RoleArn: aws.String(DeployRoleARN), RoleSessionName: aws.String("s1")})
			return err
		}, 403, "AccessDenied", ""},
		{"federated user cannot assume", func(t *testing.T, w *world) error {
			out, err := w.sts(user("bob")).GetFederationToken(ctx(t), &sts.GetFederationTokenInput{Name: aws.String("fed")})
			noErr(t, err)
			_, err = w.sts(temp(out.Credentials)).AssumeRole(ctx(t), &sts.AssumeRoleInput{
				RoleArn: aws.String(ReadOnlyRoleARN), RoleSessionName: aws.String("s1")})
			return err
		}, 403, "AccessDenied", ""},
		{"MFA-enforcing policy denies GetFederationToken", func(t *testing.T, w *world) error {
			_, err := w.sts(user("frank")).GetFederationToken(ctx(t), &sts.GetFederationTokenInput{Name: aws.String("frank")})
			return err
		}, 403, "AccessDenied", "User: " + frankARN + " is not authorized to perform: sts:GetFederationToken on resource: arn:aws:sts::111111111111:federated-user/frank with an explicit deny in an identity-based policy"},
		{"MFA-enforcing policy denies IAM", func(t *testing.T, w *world) error {
			_, err := w.iam(user("frank")).GetUser(ctx(t), &iam.GetUserInput{})
			return err
		}, 403, "AccessDenied", "User: " + frankARN + " is not authorized to perform: iam:GetUser on resource: user frank with an explicit deny in an identity-based policy"},
	}
}

func durationRefusals() []refusal {
	assume := func(role string, d int32) func(t *testing.T, w *world) error {
		return func(t *testing.T, w *world) error {
			_, err := w.sts(user("bob")).AssumeRole(ctx(t), &sts.AssumeRoleInput{RoleArn: aws.String(role),
				RoleSessionName: aws.String("s1"), DurationSeconds: aws.Int32(d)})
			return err
		}
	}
	return []refusal{
		{"duration under 900", assume(ReadOnlyRoleARN, 300), 400, "ValidationError",
			"1 validation error detected: Value '300' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"},
		{"duration over role max", assume(ReadOnlyRoleARN, 7200), 400, "ValidationError", msgRoleMaxDuration},
		{"duration over API max", assume(ReadOnlyRoleARN, 50000), 400, "ValidationError",
			"1 validation error detected: Value '50000' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200"},
		{"session token over max", func(t *testing.T, w *world) error {
			_, err := w.sts(user("bob")).GetSessionToken(ctx(t), &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(129601)})
			return err
		}, 400, "ValidationError", "1 validation error detected: Value '129601' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600"},
		{"role chaining over an hour", func(t *testing.T, w *world) error {
			w.aws.AddRole("arn:aws:iam::333333333333:role/Long", RoleTrust(ReadOnlyRoleARN), RoleMaxSessionDuration(4*time.Hour))
			ro := w.assume(t, user("bob"), ReadOnlyRoleARN)
			_, err := w.sts(ro).AssumeRole(ctx(t), &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::333333333333:role/Long"),
				RoleSessionName: aws.String("s1"), DurationSeconds: aws.Int32(3601)})
			return err
		}, 400, "ValidationError", msgChainedDuration},
		{"bad session name", func(t *testing.T, w *world) error {
			_, err := w.sts(user("bob")).AssumeRole(ctx(t), &sts.AssumeRoleInput{RoleArn: aws.String(ReadOnlyRoleARN),
				RoleSessionName: aws.String("no spaces")})
			return err
		}, 400, "ValidationError", `1 validation error detected: Value 'no spaces' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`},
	}
}

func sessionRefusals() []refusal {
	return []refusal{
		{"GetSessionToken with session credentials", func(t *testing.T, w *world) error {
			k := w.sessionToken(t, user("bob"), "")
			_, err := w.sts(k).GetSessionToken(ctx(t), &sts.GetSessionTokenInput{})
			return err
		}, 403, "AccessDenied", "Cannot call GetSessionToken with session credentials"},
		{"GetFederationToken with role credentials", func(t *testing.T, w *world) error {
			k := w.assume(t, user("bob"), ReadOnlyRoleARN)
			_, err := w.sts(k).GetFederationToken(ctx(t), &sts.GetFederationTokenInput{Name: aws.String("x1")})
			return err
		}, 403, "AccessDenied", "Cannot call GetFederationToken with session credentials"},
		{"IAM with non-MFA session", func(t *testing.T, w *world) error {
			k := w.sessionToken(t, user("bob"), "")
			_, err := w.iam(k).GetUser(ctx(t), &iam.GetUserInput{})
			return err
		}, 403, "InvalidClientTokenId", msgInvalidTokenIAM},
		{"IAM with federated credentials", func(t *testing.T, w *world) error {
			out, err := w.sts(user("bob")).GetFederationToken(ctx(t), &sts.GetFederationTokenInput{Name: aws.String("fed")})
			noErr(t, err)
			_, err = w.iam(temp(out.Credentials)).ListAccessKeys(ctx(t), &iam.ListAccessKeysInput{})
			return err
		}, 403, "InvalidClientTokenId", msgInvalidTokenIAM},
	}
}

func TestSignatureExpiredMessage(t *testing.T) {
	w := newWorld(t)
	w.clock.Advance(10 * time.Minute)
	err := callerIdentity(t, w, user("bob"))
	wantAPIError(t, err, 403, "SignatureDoesNotMatch", "")
	if !strings.Contains(err.Error(), "Signature expired: ") || !strings.Contains(err.Error(), " - 5 min.)") {
		t.Errorf("error = %v", err)
	}
}

func TestClockSkewCorrectedBySDK(t *testing.T) {
	w := newWorld(t)
	w.clock.Advance(10 * time.Minute)
	cfg := w.config(user("bob"))
	cfg.RetryMaxAttempts = 3
	if _, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatalf("the SDK should correct its clock from the Date header: %v", err)
	}
	if n := w.aws.Count("GetCallerIdentity"); n != 2 {
		t.Errorf("calls = %d, want a refusal then a success", n)
	}
}
