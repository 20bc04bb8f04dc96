package vault

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/99designs/keyring"
)

// Keyring identity shared with aws-vault (compat-spec §12 fact 1).
const (
	ServiceName                    = "aws-vault"
	DefaultKeychainName            = "aws-vault"
	DefaultSecretServiceCollection = "awsvault"
	FileBackend                    = "file"
	KeyctlBackend                  = "keyctl"
)

// autoOrder is aws-vault's backend preference. keyctl is skipped when
// choosing automatically: its keys vanish at reboot, and choosing it
// silently would hide keys stored elsewhere.
var autoOrder = []string{"wincred", "keychain", "secret-service", "kwallet", "pass", FileBackend}

// KeyringConfig selects and configures a keyring backend.
type KeyringConfig struct {
	// Backend is the backend to open; "" chooses automatically.
	Backend                 string
	FileDir                 string
	FilePassphrase          func() (string, error)
	KeychainName            string
	SecretServiceCollection string
	PassDir                 string
	PassCmd                 string
	PassPrefix              string
	KeyctlScope             string
	Now                     func() time.Time
}

// AvailableBackends lists the backends this build and machine offer, in
// aws-vault's order. secret-service and kwallet appear only when a D-Bus
// session bus answered at start-up.
func AvailableBackends() []string {
	var out []string
	for _, b := range keyring.AvailableBackends() {
		out = append(out, string(b))
	}
	if !slices.Contains(out, FileBackend) {
		out = append(out, FileBackend)
	}
	return out
}

// OpenKeyring opens the configured backend, or the first one that opens in
// aws-vault's order. It returns the backend's name with it.
func OpenKeyring(cfg KeyringConfig) (Keyring, string, error) {
	if cfg.Backend != "" {
		kr, err := openBackend(cfg, cfg.Backend)
		if err != nil {
			return nil, "", fmt.Errorf("keyring backend %s is not available: %w (this machine offers: %s)",
				cfg.Backend, err, strings.Join(AvailableBackends(), ", "))
		}
		return kr, cfg.Backend, nil
	}
	var errs []error
	for _, b := range autoOrder {
		if !slices.Contains(AvailableBackends(), b) {
			continue
		}
		kr, err := openBackend(cfg, b)
		if err == nil {
			return kr, b, nil
		}
		errs = append(errs, fmt.Errorf("%s: %w", b, err))
	}
	return nil, "", fmt.Errorf("no keyring backend could be opened: %w", errors.Join(errs...))
}

func openBackend(cfg KeyringConfig, name string) (Keyring, error) {
	if name == FileBackend {
		return &FileKeyring{Dir: cfg.FileDir, Passphrase: cfg.FilePassphrase, Now: cfg.Now}, nil
	}
	return keyring.Open(keyring.Config{
		AllowedBackends:         []keyring.BackendType{keyring.BackendType(name)},
		ServiceName:             ServiceName,
		KeychainName:            cfg.KeychainName,
		LibSecretCollectionName: cfg.SecretServiceCollection,
		KWalletAppID:            ServiceName,
		KWalletFolder:           ServiceName,
		PassDir:                 cfg.PassDir,
		PassCmd:                 cfg.PassCmd,
		PassPrefix:              cfg.PassPrefix,
		WinCredPrefix:           ServiceName,
		KeyCtlScope:             cfg.KeyctlScope,
		FilePasswordFunc:        func(string) (string, error) { return cfg.FilePassphrase() },
		FileDir:                 cfg.FileDir,
	})
}
