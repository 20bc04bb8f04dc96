package vault

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/awsvault/aws-vault/vault/config"
)

// connect gets the credentials for the IAM calls and learns the user name
// for role profiles.
func (r *rotation) connect(ctx context.Context) error {
	creds, err := r.iamCredentials(ctx)
	if err != nil {
		return err
	}
	r.iamCreds = creds
	if r.iamClient, err = r.o.AWS.iamClient(ctx, &r.keyProf, creds); err != nil {
		return err
	}
	if r.target.HasRole() {
		out, err := r.iamClient.GetUser(ctx, &iam.GetUserInput{})
		if err != nil {
			return r.iamError("finding the IAM user of the key", err)
		}
		if out.User == nil {
			return fmt.Errorf("finding the IAM user of the key: GetUser answered without a user; nothing changed")
		}
		r.userName = aws.ToString(out.User.UserName)
		r.user = r.userName
		r.o.Logf("the key belongs to IAM user %s", r.userName)
	}
	return nil
}

// iamCredentials returns what signs the IAM calls. One MFA session serves
// every call (aws-vault v7 asked for a code per call, and AWS refuses a
// code twice). Without mfa_serial the stored key signs them: IAM refuses
// sessions obtained without MFA.
func (r *rotation) iamCredentials(ctx context.Context) (aws.CredentialsProvider, error) {
	stored := staticCredentials(r.old)
	if r.o.NoSession {
		return stored, nil
	}
	dev := r.mfaDevice()
	if dev == nil {
		r.o.Report.Note(fmt.Sprintf("profile '%s' has no mfa_serial, and IAM refuses sessions obtained without MFA: calling IAM with the stored access key", r.keyName))
		return stored, nil
	}
	client, err := r.o.AWS.stsClient(ctx, &r.keyProf, stored)
	if err != nil {
		return nil, err
	}
	if r.o.MFA == nil {
		return nil, fmt.Errorf("MFA code for %s: %w", dev.MFASerial, ErrNoMFASource)
	}
	code, err := r.o.MFA.MFAToken(ctx, MFARequest{ProfileName: dev.ProfileName, Serial: dev.MFASerial, Process: dev.MFAProcess})
	if err != nil {
		return nil, err
	}
	r.o.Logf("profile %s: calling GetSessionToken with MFA for the IAM calls", r.keyName)
	out, err := client.GetSessionToken(ctx, &sts.GetSessionTokenInput{
		DurationSeconds: seconds(r.keyProf.NonChainedGetSessionTokenDuration),
		SerialNumber:    aws.String(dev.MFASerial),
		TokenCode:       aws.String(code),
	})
	if err != nil {
		return nil, markRefusal(fmt.Errorf("getting an MFA session with the key of profile '%s': %w", r.keyName, err))
	}
	r.usedMFA = true
	creds, err := issuedTo("profile "+r.keyName, "GetSessionToken", out.Credentials, out.ResultMetadata, KindSessionToken, r.o.Now())
	if err != nil {
		return nil, err
	}
	return staticCredentials(creds), nil
}

// mfaDevice is the profile whose mfa_serial the MFA session uses: the
// key's profile, else the target (a role's mfa_serial is its user's
// device), or nil.
func (r *rotation) mfaDevice() *config.Profile {
	for _, p := range []*config.Profile{&r.keyProf, r.target} {
		if p.MFASerial != "" {
			return p
		}
	}
	return nil
}

// listKeys lists the user's access keys. Without iam:ListAccessKeys
// (aws-vault v7's documented policy lacked it) it only notes that it could
// not, and the two-key check is skipped.
func (r *rotation) listKeys(ctx context.Context) error {
	out, err := r.iamClient.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: r.userNamePtr()})
	if APIErrorCode(err) == "AccessDenied" && !r.mfaDenial(err) {
		r.o.Report.Note("could not list the user's access keys (AccessDenied); going ahead")
		return nil
	}
	if err != nil {
		return r.iamError("listing the user's access keys", err)
	}
	r.keys, r.listed = out.AccessKeyMetadata, true
	for _, k := range r.keys {
		r.user = aws.ToString(k.UserName)
	}
	return nil
}

// checkKeyCount refuses to rotate when the user has two keys already: the
// new one could not be created.
func (r *rotation) checkKeyCount() error {
	var ids []string
	for _, k := range r.keys {
		ids = append(ids, aws.ToString(k.AccessKeyId))
	}
	if len(ids) < 2 {
		return nil
	}
	var desc []string
	unused := ""
	for _, id := range ids {
		if id == r.old.AccessKeyID {
			desc = append(desc, fmt.Sprintf("%s (stored in profile '%s')", MaskKeyID(id), r.keyName))
		} else {
			desc = append(desc, fmt.Sprintf("%s (not the one stored in profile '%s')", MaskKeyID(id), r.keyName))
			unused = id
		}
	}
	return &HintedError{
		Err: fmt.Errorf("IAM user %s already has two access keys, the most IAM allows: %s; nothing changed: delete the key you no longer use, then rotate again",
			r.user, strings.Join(desc, " and ")),
		Hint: "delete it with: " + r.deleteCommand(unused),
	}
}

// create makes the new key.
func (r *rotation) create(ctx context.Context) error {
	r.o.Report.Progress("Creating a new access key")
	out, err := r.iamClient.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: r.userNamePtr()})
	if APIErrorCode(err) == "LimitExceeded" {
		return &HintedError{
			Err:  fmt.Errorf("the IAM user already has two access keys, the most IAM allows; nothing changed: delete the key you no longer use, then rotate again"),
			Hint: "aws iam list-access-keys shows the keys; aws iam delete-access-key --access-key-id <id> deletes one",
		}
	}
	if err != nil {
		return fmt.Errorf("%w; nothing changed: %s is still stored in profile '%s' and active", r.iamError("creating a new access key", err), r.oldKey(), r.keyName)
	}
	if out.AccessKey == nil {
		return fmt.Errorf("CreateAccessKey answered without a key; check with: aws iam list-access-keys (%s is still stored in profile '%s')", r.oldKey(), r.keyName)
	}
	r.newKey = aws.Credentials{
		AccessKeyID:     aws.ToString(out.AccessKey.AccessKeyId),
		SecretAccessKey: aws.ToString(out.AccessKey.SecretAccessKey),
	}
	if r.user == "" {
		r.user = aws.ToString(out.AccessKey.UserName)
	}
	r.o.Report.Progress(fmt.Sprintf("Created new access key %s", r.newKeyID()))
	return nil
}

// verify proves AWS accepts the new key before anything depends on it: a
// new key can take some seconds to work everywhere.
func (r *rotation) verify(ctx context.Context) error {
	client, err := r.o.AWS.stsClient(ctx, &r.keyProf, staticCredentials(r.newKey))
	if err != nil {
		return err
	}
	delay, waited := r.o.Timing.VerifyFirst, time.Duration(0)
	for attempt := 1; ; attempt++ {
		out, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err == nil {
			r.o.Logf("the new key works as %s (attempt %d)", aws.ToString(out.Arn), attempt)
			return nil
		}
		if APIErrorCode(err) != "InvalidClientTokenId" {
			return fmt.Errorf("AWS did not accept the new access key %s: %w", r.newKeyID(), err)
		}
		if waited >= r.o.Timing.VerifyFor {
			return fmt.Errorf("AWS did not accept the new access key %s within %s (%d attempts): %w", r.newKeyID(), waited, attempt, err)
		}
		if attempt == 1 {
			r.o.Report.Note(fmt.Sprintf("waiting for AWS to accept the new access key (up to %s)", r.o.Timing.VerifyFor))
		}
		delay = min(delay, r.o.Timing.VerifyFor-waited)
		if err := r.o.Timing.Sleep(ctx, delay); err != nil {
			return fmt.Errorf("AWS did not accept the new access key %s yet: %w", r.newKeyID(), err)
		}
		waited += delay
		delay = min(2*delay, 5*time.Second)
	}
}

// deleteOld deletes the old key, signed with the new key (or the MFA
// session), retrying every DeleteEvery for DeleteFor as aws-vault v7 does:
// IAM may take a while to accept the new key everywhere.
func (r *rotation) deleteOld(ctx context.Context) error {
	r.o.Report.Progress(fmt.Sprintf("Deleting old access key %s", r.oldKey()))
	client := r.iamClient
	if !r.usedMFA {
		var err error
		if client, err = r.o.AWS.iamClient(ctx, &r.keyProf, staticCredentials(r.newKey)); err != nil {
			return r.oldStillActive(1, err)
		}
	}
	in := &iam.DeleteAccessKeyInput{AccessKeyId: aws.String(r.old.AccessKeyID), UserName: r.userNamePtr()}
	for attempt, waited := 1, time.Duration(0); ; attempt++ {
		_, err := client.DeleteAccessKey(ctx, in)
		switch code := APIErrorCode(err); {
		case err == nil:
			r.o.Report.Progress(fmt.Sprintf("Deleted old access key %s", r.oldKey()))
			r.o.Report.Progress("Finished rotating access key")
			return nil
		case code == "NoSuchEntity":
			r.o.Report.Note(fmt.Sprintf("AWS no longer has the old access key %s: it was deleted already", r.oldKey()))
			r.o.Report.Progress("Finished rotating access key")
			return nil
		case code == "AccessDenied" || waited >= r.o.Timing.DeleteFor:
			return r.oldStillActive(attempt, err)
		}
		if err := r.o.Timing.Sleep(ctx, r.o.Timing.DeleteEvery); err != nil {
			return r.oldStillActive(attempt, err)
		}
		waited += r.o.Timing.DeleteEvery
	}
}

// oldStillActive is the error when the old key could not be deleted: the
// new key is stored and works, the old one is still active at AWS.
func (r *rotation) oldStillActive(attempts int, err error) error {
	tries := ""
	if attempts > 1 {
		tries = fmt.Sprintf(" after %d attempts", attempts)
	}
	return &HintedError{
		Err: fmt.Errorf("deleting the old access key %s failed%s: %w; the new key %s is stored in profile '%s' and works, but the old key %s is still active at AWS",
			r.oldKey(), tries, err, r.newKeyID(), r.keyName, r.oldKey()),
		Hint: "delete the old key yourself: " + r.deleteCommand(r.old.AccessKeyID),
	}
}

// iamError words an IAM refusal, with a hint when the user can act on it.
func (r *rotation) iamError(what string, err error) error {
	err = fmt.Errorf("%s: %w", what, err)
	switch {
	case APIErrorCode(err) != "AccessDenied":
		return markRefusal(err)
	case r.mfaDenial(err):
		return &HintedError{Err: err, Hint: fmt.Sprintf("your IAM policy may require MFA for IAM calls: set mfa_serial in profile '%s' and rotate without --no-session", r.keyName)}
	}
	return &HintedError{Err: err, Hint: "rotate needs iam:ListAccessKeys, iam:CreateAccessKey and iam:DeleteAccessKey (and iam:GetUser for role profiles) on your own IAM user"}
}

// mfaDenial reports whether err is an explicit deny of a call made without
// MFA: typically a policy that requires MFA.
func (r *rotation) mfaDenial(err error) bool {
	var apiErr interface{ ErrorMessage() string }
	return !r.usedMFA && APIErrorCode(err) == "AccessDenied" && errors.As(err, &apiErr) &&
		strings.Contains(apiErr.ErrorMessage(), "explicit deny")
}

// markRefusal marks err as a refusal of the profile's own key, which cli
// explains.
func markRefusal(err error) error { return &AWSRefusal{Err: err} }
