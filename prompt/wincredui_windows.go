//go:build windows

package prompt

import (
	"context"
	"fmt"
	"strings"
	"syscall"
	"unsafe"
)

// Credential UI constants (wincred.h).
const (
	creduiFlagsDoNotPersist        = 0x2
	creduiFlagsAlwaysShowUI        = 0x80
	creduiFlagsGenericCredentials  = 0x40000
	creduiMaxUsernameLength        = 513
	creduiMaxPasswordLength        = 256
	errorCancelled                 = 1223
	loadLibrarySearchSystem32      = 0x800
	credUIPromptForCredentialsName = "CredUIPromptForCredentialsW"
)

// creduiInfo is CREDUI_INFOW.
type creduiInfo struct {
	size    uint32
	parent  uintptr
	message *uint16
	caption *uint16
	banner  uintptr
}

// winCredUI asks with the Windows Credential UI dialog: caption "Enter MFA
// code for aws-vault", the prompt as message, target "aws-vault", the user
// name prefilled from the serial; the code is typed as the password.
type winCredUI struct {
	o    Options
	proc *syscall.Proc
}

// newWinCredUI loads credui.dll from System32 only (through kernel32's
// LoadLibraryExW, as syscall.LoadDLL would search the current directory).
func newWinCredUI(o Options) (Driver, error) {
	k32, err := syscall.LoadDLL("kernel32.dll")
	if err != nil {
		return nil, fmt.Errorf("wincredui: %w", err)
	}
	loadEx, err := k32.FindProc("LoadLibraryExW")
	if err != nil {
		return nil, fmt.Errorf("wincredui: %w", err)
	}
	name, _ := syscall.UTF16PtrFromString("credui.dll")
	h, _, callErr := loadEx.Call(uintptr(unsafe.Pointer(name)), 0, loadLibrarySearchSystem32)
	if h == 0 {
		return nil, fmt.Errorf("wincredui: loading credui.dll: %v", callErr)
	}
	dll := &syscall.DLL{Name: "credui.dll", Handle: syscall.Handle(h)}
	proc, err := dll.FindProc(credUIPromptForCredentialsName)
	if err != nil {
		return nil, fmt.Errorf("wincredui: %w", err)
	}
	return winCredUI{o: o, proc: proc}, nil
}

// MFACode shows the dialog; it is modal, so on timeout it is abandoned
// (the process is about to report the error and exit).
func (w winCredUI) MFACode(ctx context.Context, serial string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, w.o.timeout())
	defer cancel()
	done := make(chan answer, 1)
	go func() {
		code, err := w.show(serial)
		done <- answer{code, err}
	}()
	select {
	case a := <-done:
		if a.err != nil {
			return "", a.err
		}
		code, err := CheckCode(a.line)
		if err != nil {
			return "", fmt.Errorf("the answer typed in wincredui %w", err)
		}
		return code, nil
	case <-ctx.Done():
		if ctx.Err() == context.DeadlineExceeded {
			return "", fmt.Errorf("MFA prompt wincredui gave no answer within %s", w.o.timeout())
		}
		return "", ctx.Err()
	}
}

// show runs CredUIPromptForCredentialsW and returns the password field.
func (w winCredUI) show(serial string) (string, error) {
	message, _ := syscall.UTF16PtrFromString(Message(serial))
	caption, _ := syscall.UTF16PtrFromString("Enter MFA code for aws-vault")
	target, _ := syscall.UTF16PtrFromString("aws-vault")
	info := creduiInfo{message: message, caption: caption}
	info.size = uint32(unsafe.Sizeof(info))
	user := make([]uint16, creduiMaxUsernameLength+1)
	copy(user[:creduiMaxUsernameLength], syscall.StringToUTF16(winCredUser(serial)))
	password := make([]uint16, creduiMaxPasswordLength+1)
	defer clear(password)
	var save int32
	r, _, _ := w.proc.Call(
		uintptr(unsafe.Pointer(&info)), uintptr(unsafe.Pointer(target)), 0, 0,
		uintptr(unsafe.Pointer(&user[0])), uintptr(len(user)),
		uintptr(unsafe.Pointer(&password[0])), uintptr(len(password)),
		uintptr(unsafe.Pointer(&save)),
		creduiFlagsGenericCredentials|creduiFlagsAlwaysShowUI|creduiFlagsDoNotPersist)
	switch r {
	case 0:
		return syscall.UTF16ToString(password), nil
	case errorCancelled:
		return "", fmt.Errorf("MFA prompt cancelled (wincredui)")
	}
	return "", fmt.Errorf("MFA prompt wincredui failed: %v", syscall.Errno(r))
}

// winCredUser is the serial without "arn:aws:iam::" and ":mfa", e.g.
// "111111111111/alice".
func winCredUser(serial string) string {
	return strings.NewReplacer("arn:aws:iam::", "", ":mfa", "").Replace(serial)
}
