package vaulttest

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"strings"
	"time"
)

// totpStep is the RFC 6238 time step AWS virtual MFA devices use.
const totpStep = 30 * time.Second

// MFADevice is a virtual MFA device owned by a user.
type MFADevice struct {
	Serial   string // arn:aws:iam::<account>:mfa/<name>
	UserName string
	Secret   string // base32 TOTP secret (SHA1, 6 digits, 30 s)
	// StaticCode, when set, is accepted besides the TOTP codes, still once
	// per 30 s step, so golden tests can use a fixed code.
	StaticCode string
}

// DeviceOption configures a device added by [AWS.AddMFADevice].
type DeviceOption func(*MFADevice)

// DeviceName names the device (the default is the owner's user name); the
// serial is arn:aws:iam::<account>:mfa/<name>.
func DeviceName(name string) DeviceOption {
	return func(d *MFADevice) { d.Serial = name } // AddMFADevice prefixes the ARN
}

// DeviceSecret fixes the base32 TOTP secret (the default is random).
func DeviceSecret(secret string) DeviceOption {
	return func(d *MFADevice) { d.Secret = secret }
}

// DeviceStaticCode makes code an always-valid code (see [MFADevice.StaticCode]).
func DeviceStaticCode(code string) DeviceOption {
	return func(d *MFADevice) { d.StaticCode = code }
}

// AddMFADevice gives user a virtual MFA device. It panics on an unknown
// user, a duplicate serial or a secret that is not base32.
func (a *AWS) AddMFADevice(user string, opts ...DeviceOption) MFADevice {
	d := &MFADevice{Serial: user, UserName: user}
	for _, opt := range opts {
		opt(d)
	}
	if d.Secret == "" {
		d.Secret = a.newTOTPSecret()
	}
	if TOTP(d.Secret, time.Time{}) == "" {
		panic(fmt.Sprintf("vaulttest: AddMFADevice(%q): secret is not base32", user))
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	u := a.users[user]
	if u == nil {
		panic(fmt.Sprintf("vaulttest: AddMFADevice: no user %q", user))
	}
	d.Serial = "arn:aws:iam::" + u.Account + ":mfa/" + d.Serial
	if a.devices[d.Serial] != nil {
		panic(fmt.Sprintf("vaulttest: AddMFADevice: %s already exists", d.Serial))
	}
	a.devices[d.Serial] = d
	return *d
}

// TOTPCode returns the device's TOTP code at the emulator's current time,
// or "" if there is no such device.
func (a *AWS) TOTPCode(serial string) string {
	a.mu.Lock()
	d := a.devices[serial]
	a.mu.Unlock()
	if d == nil {
		return ""
	}
	return TOTP(d.Secret, a.now())
}

// TOTP returns the RFC 6238 code (HMAC-SHA1, 6 digits, 30 s step) of the
// base32 secret at t, or "" if secret is not base32. Case, spaces and
// padding in secret are ignored.
func TOTP(secret string, t time.Time) string {
	key, err := decodeSecret(secret)
	if err != nil {
		return ""
	}
	return hotp(key, totpCounter(t))
}

// decodeSecret decodes a base32 secret leniently.
func decodeSecret(secret string) ([]byte, error) {
	s := strings.ToUpper(strings.ReplaceAll(secret, " ", ""))
	s = strings.TrimRight(s, "=")
	if s == "" {
		return nil, fmt.Errorf("empty secret")
	}
	return base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(s)
}

// totpCounter is the RFC 6238 step number of t.
func totpCounter(t time.Time) int64 {
	return t.Unix() / int64(totpStep/time.Second)
}

// hotp is RFC 4226 HOTP with 6 digits.
func hotp(key []byte, counter int64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(counter))
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", v%1000000)
}

// usedCode remembers an accepted code, to refuse its replay.
type usedCode struct {
	serial string
	code   string
	step   int64
}

// checkMFALocked validates code for serial on behalf of owner (nil for any
// owner) and returns the record to mark as used once the call succeeds.
func (a *AWS) checkMFALocked(serial, code string, owner *User) (usedCode, *apiError) {
	d := a.devices[serial]
	if d == nil || (owner != nil && d.UserName != owner.Name) {
		return usedCode{}, errAccessDenied(msgMFAUnknownDevice)
	}
	now := totpCounter(a.now())
	for _, step := range []int64{now, now - 1, now + 1} {
		if hmac.Equal([]byte(hotp(mustDecode(d.Secret), step)), []byte(code)) {
			return a.unusedLocked(usedCode{serial, code, step})
		}
	}
	if d.StaticCode != "" && hmac.Equal([]byte(d.StaticCode), []byte(code)) {
		return a.unusedLocked(usedCode{serial, code, now})
	}
	return usedCode{}, errAccessDenied(msgMFAInvalidCode)
}

// unusedLocked refuses a code already accepted in its step.
func (a *AWS) unusedLocked(u usedCode) (usedCode, *apiError) {
	if a.usedCodes[u] {
		return usedCode{}, errAccessDenied(msgMFAInvalidCode)
	}
	return u, nil
}

// mustDecode decodes a secret validated when its device was added.
func mustDecode(secret string) []byte {
	key, _ := decodeSecret(secret)
	return key
}
