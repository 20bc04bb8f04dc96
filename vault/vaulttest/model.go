package vaulttest

import (
	"fmt"
	"strings"
	"time"
)

// Access key statuses, as IAM spells them.
const (
	StatusActive   = "Active"
	StatusInactive = "Inactive"
)

// maxKeysPerUser is IAM's AccessKeysPerUser quota.
const maxKeysPerUser = 2

// User is an IAM user.
type User struct {
	Name       string
	Account    string
	ARN        string // arn:aws:iam::<account>:user/<name>
	UserID     string // AIDA...
	CreateDate time.Time
	// MFARequired stands for an MFA-enforcing identity policy: without an
	// MFA session the user may not call GetFederationToken, AssumeRole or
	// IAM (explicit deny). GetSessionToken and GetCallerIdentity stay open.
	MFARequired bool
}

// UserOption configures a user added by [AWS.AddUser].
type UserOption func(*User)

// UserMFARequired attaches an MFA-enforcing policy to the user (see
// [User.MFARequired]).
func UserMFARequired() UserOption {
	return func(u *User) { u.MFARequired = true }
}

// AccessKey is a long-term IAM access key.
type AccessKey struct {
	UserName        string
	AccessKeyID     string // AKIA + 16 upper-case alphanumerics
	SecretAccessKey string // 40 characters
	Status          string // StatusActive or StatusInactive
	CreateDate      time.Time
	UsableAt        time.Time // see WithKeyPropagationDelay
}

// AddUser adds an IAM user to account (12 digits). User names are unique
// across the whole emulator. It panics on a malformed account or a
// duplicate name: both are mistakes in the test.
func (a *AWS) AddUser(account, name string, opts ...UserOption) User {
	if !validAccount(account) || !validName(name) || name == "" {
		panic(fmt.Sprintf("vaulttest: AddUser(%q, %q): bad account or name", account, name))
	}
	arn := "arn:aws:iam::" + account + ":user/" + name
	u := &User{Name: name, Account: account, ARN: arn, UserID: uniqueID("AIDA", arn)}
	for _, opt := range opts {
		opt(u)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.users[name] != nil {
		panic(fmt.Sprintf("vaulttest: AddUser: user %q already exists", name))
	}
	u.CreateDate = a.now().UTC()
	a.users[name] = u
	return *u
}

// AddAccessKey creates a random access key for user, usable at once. It
// fails like IAM when the user already has two keys.
func (a *AWS) AddAccessKey(user string) (AccessKey, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.createKeyLocked(user, a.newAccessKeyID("AKIA"), a.newSecret(), 0)
}

// AddAccessKeyPair gives user the exact key id and secret, for fixtures.
func (a *AWS) AddAccessKeyPair(user, id, secret string) (AccessKey, error) {
	if !strings.HasPrefix(id, "AKIA") || len(id) != 20 || len(secret) != 40 {
		return AccessKey{}, fmt.Errorf("vaulttest: key %q: want AKIA plus 16 characters and a 40-character secret", id)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.keys[id] != nil {
		return AccessKey{}, fmt.Errorf("vaulttest: key %s already exists", id)
	}
	return a.createKeyLocked(user, id, secret, 0)
}

// createKeyLocked stores a new active key for user, usable after delay.
func (a *AWS) createKeyLocked(user, id, secret string, delay time.Duration) (AccessKey, error) {
	if a.users[user] == nil {
		return AccessKey{}, errNoSuchUser(user)
	}
	if len(a.userKeys[user]) >= maxKeysPerUser {
		return AccessKey{}, errLimitExceeded("Cannot exceed quota for AccessKeysPerUser: 2")
	}
	now := a.now().UTC()
	k := &AccessKey{UserName: user, AccessKeyID: id, SecretAccessKey: secret,
		Status: StatusActive, CreateDate: now, UsableAt: now.Add(delay)}
	a.keys[id] = k
	a.userKeys[user] = append(a.userKeys[user], id)
	return *k, nil
}

// SetAccessKeyCreateDate backdates (or moves) the CreateDate IAM reports
// for key id, as for a key made long ago.
func (a *AWS) SetAccessKeyCreateDate(id string, at time.Time) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	k := a.keys[id]
	if k == nil {
		return fmt.Errorf("vaulttest: no access key %s", id)
	}
	k.CreateDate = at.UTC()
	return nil
}

// deleteKeyLocked forgets a long-term key.
func (a *AWS) deleteKeyLocked(k *AccessKey) {
	delete(a.keys, k.AccessKeyID)
	ids := a.userKeys[k.UserName]
	for i, id := range ids {
		if id == k.AccessKeyID {
			a.userKeys[k.UserName] = append(ids[:i:i], ids[i+1:]...)
			break
		}
	}
}

// User returns the named user and whether it exists.
func (a *AWS) User(name string) (User, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	u, ok := a.users[name]
	if !ok {
		return User{}, false
	}
	return *u, true
}

// AccessKeys returns copies of user's long-term keys, oldest first.
func (a *AWS) AccessKeys(user string) []AccessKey {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []AccessKey
	for _, id := range a.userKeys[user] {
		out = append(out, *a.keys[id])
	}
	return out
}

// validAccount reports whether s is a 12-digit account id.
func validAccount(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// validName reports whether s matches IAM's name pattern [\w+=,.@-]*.
func validName(s string) bool {
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune("_+=,.@-", r):
		default:
			return false
		}
	}
	return true
}
