package cli

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/awsvault/aws-vault/vault"
)

// auditLogPath is where the issuance log is: AWS_VAULT_AUDIT_LOG (a
// leading ~/ is the home directory), else ~/.awsvault/audit.log; "" when
// it is off.
func (s *session) auditLogPath() (string, error) {
	v := s.Getenv(vault.AuditLogVar)
	if v == "off" {
		return "", nil
	}
	if v != "" && !strings.HasPrefix(v, "~/") {
		if !filepath.IsAbs(v) {
			return "", fmt.Errorf("%s=%s: the issuance log needs an absolute path (or off)", vault.AuditLogVar, v)
		}
		return v, nil
	}
	home, err := s.HomeDir()
	if err != nil {
		return "", fmt.Errorf("issuance log: %w", err)
	}
	if rest, ok := strings.CutPrefix(v, "~/"); ok {
		return filepath.Join(home, rest), nil
	}
	return filepath.Join(home, ".awsvault", "audit.log"), nil
}

// auditLog is the issuance log, or nil when it is off or cannot be placed
// (which is said on stderr: the credential call goes on).
func (s *session) auditLog() *vault.AuditLog {
	path, err := s.auditLogPath()
	if err != nil {
		s.report().Warning(err.Error())
	}
	if path == "" {
		return nil
	}
	l := &vault.AuditLog{
		Path: path, Version: s.Version, Now: s.Now,
		Warn: func(err error) { s.report().Warning(err.Error()) },
	}
	if locker, err := s.Locker(); err == nil {
		locker.Waiting, locker.Doing = nil, "rotating"
		l.Lock = locker.Lock
	}
	return l
}

// recordHandout writes the issuance log's line for credentials a command
// handed out (exec, export); a failure only warns.
func recordHandout(s *session, command, output string, res *credentialsResult) {
	s.auditLog().Record(vault.Handout{
		Command: command, Output: output, Profile: res.Profile.ProfileName, Steps: res.Steps, Creds: res.Creds,
	})
}

// errAuditOff is audit's answer when the log is off.
var errAuditOff = errors.New("the issuance log is off (" + vault.AuditLogVar + "=off): nothing is recorded")
