package vaulttest

import "fmt"

// The fixture world built by [Fixture]. Its keys, secrets and TOTP secrets
// are fixed so golden tests and demos can rely on them; they are fake.
const (
	FixtureAccount        = "111111111111" // account of every fixture user
	FixtureRoleAccount    = "222222222222" // account of ReadOnly and Admin
	FixtureDeployAccount  = "333333333333" // account of Deploy
	FixtureStaticMFACode  = "123456"       // accepted by both fixture devices, once per 30 s step
	FixtureWebIdentitySub = "fixture-subject"
	// FixtureWebIdentityToken is registered for AssumeRoleWithWebIdentity,
	// which ReadOnly accepts.
	FixtureWebIdentityToken = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJmaXh0dXJlLXN1YmplY3QifQ."

	BobAccessKeyID       = "AKIABOBEXAMPLE000001"
	BobSecretAccessKey   = "bobSecretKey0000000000000000000000000001"
	AliceAccessKeyID     = "AKIAALICEEXAMPLE0001"
	AliceSecretAccessKey = "aliceSecretKey00000000000000000000000001"
	AliceMFASerial       = "arn:aws:iam::111111111111:mfa/alice"
	AliceTOTPSecret      = "ALICEMFASECRETAAAAAAAAAAAAAAAAAA" // base32
	CarolAccessKeyID     = "AKIACAROLEXAMPLE0001"
	CarolSecretAccessKey = "carolSecretKey00000000000000000000000001"
	ErinAccessKeyID      = "AKIAERINEXAMPLE00001"
	ErinSecretAccessKey  = "erinSecretKey000000000000000000000000001"
	FrankAccessKeyID     = "AKIAFRANKEXAMPLE0001"
	FrankSecretAccessKey = "frankSecretKey00000000000000000000000001"
	FrankMFASerial       = "arn:aws:iam::111111111111:mfa/frank"
	FrankTOTPSecret      = "FRANKMFASECRETAAAAAAAAAAAAAAAAAA" // base32

	// ReadOnlyRoleARN trusts every principal of account 111111111111 and
	// web identity tokens.
	ReadOnlyRoleARN = "arn:aws:iam::222222222222:role/ReadOnly"
	// AdminRoleARN trusts alice only and requires MFA.
	AdminRoleARN = "arn:aws:iam::222222222222:role/Admin"
	// DeployRoleARN trusts sessions of ReadOnly and Admin (role chaining).
	DeployRoleARN = "arn:aws:iam::333333333333:role/Deploy"
)

// FixtureUser describes one user of the fixture world.
type FixtureUser struct {
	Name            string
	AccessKeyID     string
	SecretAccessKey string
	MFASerial       string // "" when the user has no device
	TOTPSecret      string // base32; "" when the user has no device
	MFARequired     bool   // see User.MFARequired
}

// FixtureUsers lists the fixture world's users: bob, alice (MFA), carol,
// erin and frank (MFA, with an MFA-enforcing policy), all in account
// 111111111111.
func FixtureUsers() []FixtureUser {
	return []FixtureUser{
		{Name: "bob", AccessKeyID: BobAccessKeyID, SecretAccessKey: BobSecretAccessKey},
		{Name: "alice", AccessKeyID: AliceAccessKeyID, SecretAccessKey: AliceSecretAccessKey,
			MFASerial: AliceMFASerial, TOTPSecret: AliceTOTPSecret},
		{Name: "carol", AccessKeyID: CarolAccessKeyID, SecretAccessKey: CarolSecretAccessKey},
		{Name: "erin", AccessKeyID: ErinAccessKeyID, SecretAccessKey: ErinSecretAccessKey},
		{Name: "frank", AccessKeyID: FrankAccessKeyID, SecretAccessKey: FrankSecretAccessKey,
			MFASerial: FrankMFASerial, TOTPSecret: FrankTOTPSecret, MFARequired: true},
	}
}

// Fixture returns the fixed world golden tests use (see the Fixture*
// constants, [FixtureUsers] and the FixtureSSO* constants for its IAM
// Identity Center), configured by opts.
func Fixture(opts ...Option) *AWS {
	a := New(opts...)
	for _, fu := range FixtureUsers() {
		var uopts []UserOption
		if fu.MFARequired {
			uopts = append(uopts, UserMFARequired())
		}
		a.AddUser(FixtureAccount, fu.Name, uopts...)
		if _, err := a.AddAccessKeyPair(fu.Name, fu.AccessKeyID, fu.SecretAccessKey); err != nil {
			panic(fmt.Sprintf("vaulttest: fixture: %v", err))
		}
		if fu.MFASerial != "" {
			a.AddMFADevice(fu.Name, DeviceSecret(fu.TOTPSecret), DeviceStaticCode(FixtureStaticMFACode))
		}
	}
	a.AddRole(ReadOnlyRoleARN, RoleTrust(FixtureAccount), RoleTrustWebIdentity())
	a.AddRole(AdminRoleARN, RoleTrust("arn:aws:iam::111111111111:user/alice"), RoleRequireMFA())
	a.AddRole(DeployRoleARN, RoleTrust(ReadOnlyRoleARN, AdminRoleARN))
	a.AddWebIdentityToken(FixtureWebIdentityToken, FixtureWebIdentitySub)
	addFixtureSSO(a)
	return a
}
