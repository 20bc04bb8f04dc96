package vaulttest

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func TestIAMGetUser(t *testing.T) {
	w := newWorld(t)
	out, err := w.iam(user("bob")).GetUser(ctx(t), &iam.GetUserInput{})
	noErr(t, err)
	if aws.ToString(out.User.UserName) != "bob" || aws.ToString(out.User.Arn) != bobARN {
		t.Errorf("user = %+v", out.User)
	}
	out, err = w.iam(user("bob")).GetUser(ctx(t), &iam.GetUserInput{UserName: aws.String("carol")})
	noErr(t, err)
	if aws.ToString(out.User.UserName) != "carol" {
		t.Errorf("user = %+v", out.User)
	}
	_, err = w.iam(user("bob")).GetUser(ctx(t), &iam.GetUserInput{UserName: aws.String("nobody")})
	wantAPIError(t, err, 404, "NoSuchEntity", "The user with name nobody cannot be found.")
}

func TestIAMRoleSessionNeedsUserName(t *testing.T) {
	w := newWorld(t)
	w.aws.AddRole("arn:aws:iam::111111111111:role/Local", RoleTrust(FixtureAccount))
	k := w.assume(t, user("bob"), "arn:aws:iam::111111111111:role/Local")
	_, err := w.iam(k).GetUser(ctx(t), &iam.GetUserInput{})
	wantAPIError(t, err, 400, "ValidationError", msgNonUserCreds)
	out, err := w.iam(k).ListAccessKeys(ctx(t), &iam.ListAccessKeysInput{UserName: aws.String("bob")})
	noErr(t, err)
	if len(out.AccessKeyMetadata) != 1 {
		t.Errorf("keys = %+v", out.AccessKeyMetadata)
	}
}

func TestIAMWithMFASession(t *testing.T) {
	w := newWorld(t)
	k := w.sessionToken(t, user("frank"), FrankMFASerial)
	out, err := w.iam(k).GetUser(ctx(t), &iam.GetUserInput{})
	noErr(t, err)
	if aws.ToString(out.User.Arn) != frankARN {
		t.Errorf("user = %+v", out.User)
	}
}

func TestIAMKeyLifecycle(t *testing.T) {
	w := newWorld(t)
	client := w.iam(user("erin"))
	created, err := client.CreateAccessKey(ctx(t), &iam.CreateAccessKeyInput{})
	noErr(t, err)
	key := created.AccessKey
	if aws.ToString(key.UserName) != "erin" || key.Status != iamtypes.StatusTypeActive || len(aws.ToString(key.SecretAccessKey)) != 40 {
		t.Fatalf("created %+v", key)
	}
	_, err = client.CreateAccessKey(ctx(t), &iam.CreateAccessKeyInput{})
	wantAPIError(t, err, 409, "LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2")

	list, err := client.ListAccessKeys(ctx(t), &iam.ListAccessKeysInput{})
	noErr(t, err)
	if len(list.AccessKeyMetadata) != 2 || aws.ToString(list.AccessKeyMetadata[0].AccessKeyId) != ErinAccessKeyID {
		t.Fatalf("keys = %+v", list.AccessKeyMetadata)
	}
	newKeys := keys{aws.ToString(key.AccessKeyId), aws.ToString(key.SecretAccessKey), ""}
	if got := w.callerARN(t, newKeys); got != "arn:aws:iam::111111111111:user/erin" {
		t.Errorf("new key caller = %q", got)
	}
	_, err = w.iam(newKeys).UpdateAccessKey(ctx(t), &iam.UpdateAccessKeyInput{
		AccessKeyId: aws.String(ErinAccessKeyID), Status: iamtypes.StatusTypeInactive})
	noErr(t, err)
	wantAPIError(t, callerIdentity(t, w, user("erin")), 403, "InvalidClientTokenId", msgInvalidToken)
	_, err = w.iam(newKeys).DeleteAccessKey(ctx(t), &iam.DeleteAccessKeyInput{
		AccessKeyId: aws.String(ErinAccessKeyID), UserName: aws.String("erin")})
	noErr(t, err)
	_, err = w.iam(newKeys).DeleteAccessKey(ctx(t), &iam.DeleteAccessKeyInput{AccessKeyId: aws.String(ErinAccessKeyID)})
	wantAPIError(t, err, 404, "NoSuchEntity", "The Access Key with id "+ErinAccessKeyID+" cannot be found.")
	if got := w.aws.AccessKeys("erin"); len(got) != 1 || got[0].AccessKeyID != newKeys.id {
		t.Errorf("keys left = %+v", got)
	}
}

func TestIAMUpdateValidation(t *testing.T) {
	w := newWorld(t)
	_, err := w.iam(user("bob")).UpdateAccessKey(ctx(t), &iam.UpdateAccessKeyInput{
		AccessKeyId: aws.String(BobAccessKeyID), Status: "Paused"})
	wantAPIError(t, err, 400, "ValidationError", "")
	_, err = w.iam(user("bob")).UpdateAccessKey(ctx(t), &iam.UpdateAccessKeyInput{
		AccessKeyId: aws.String(CarolAccessKeyID), Status: iamtypes.StatusTypeInactive})
	wantAPIError(t, err, 404, "NoSuchEntity", "")
}

func TestKeyPropagationDelay(t *testing.T) {
	w := newWorld(t, WithKeyPropagationDelay(2*time.Minute))
	out, err := w.iam(user("erin")).CreateAccessKey(ctx(t), &iam.CreateAccessKeyInput{})
	noErr(t, err)
	k := keys{aws.ToString(out.AccessKey.AccessKeyId), aws.ToString(out.AccessKey.SecretAccessKey), ""}
	wantAPIError(t, callerIdentity(t, w, k), 403, "InvalidClientTokenId", msgInvalidToken)
	w.clock.Advance(2 * time.Minute)
	noErr(t, callerIdentity(t, w, k))
}

func TestAddAccessKey(t *testing.T) {
	a := New()
	a.AddUser("123456789012", "dave")
	k, err := a.AddAccessKey("dave")
	noErr(t, err)
	if len(k.AccessKeyID) != 20 || k.AccessKeyID[:4] != "AKIA" || len(k.SecretAccessKey) != 40 {
		t.Errorf("key = %+v", k)
	}
	for _, r := range k.AccessKeyID[4:] {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			t.Errorf("key id %q has %q", k.AccessKeyID, r)
		}
	}
	_, err = a.AddAccessKey("dave")
	noErr(t, err)
	if _, err := a.AddAccessKey("dave"); err == nil {
		t.Error("third key allowed")
	}
	if _, err := a.AddAccessKey("nobody"); err == nil {
		t.Error("key for unknown user allowed")
	}
}

// A backdated key reports its CreateDate to ListAccessKeys.
func TestIAMBackdatedKey(t *testing.T) {
	w := newWorld(t)
	at := time.Date(2020, 2, 3, 4, 5, 6, 0, time.UTC)
	noErr(t, w.aws.SetAccessKeyCreateDate(BobAccessKeyID, at))
	out, err := w.iam(user("bob")).ListAccessKeys(ctx(t), &iam.ListAccessKeysInput{})
	noErr(t, err)
	if len(out.AccessKeyMetadata) != 1 || !aws.ToTime(out.AccessKeyMetadata[0].CreateDate).Equal(at) {
		t.Errorf("keys = %+v, want bob's created %s", out.AccessKeyMetadata, at)
	}
	if w.aws.SetAccessKeyCreateDate("AKIANOSUCHKEY0000000", at) == nil {
		t.Error("backdating a key that does not exist succeeded")
	}
}
