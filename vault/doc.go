// Package vault is aws-vault's core: ~/.aws/config loading and profile
// resolution, the keyring items (long-term credentials, cached sessions,
// SSO tokens) in the same format as aws-vault v7, the keyring backends, and
// the credential chain that turns a profile into temporary credentials with
// GetSessionToken and AssumeRole, caching them and asking for MFA codes
// through an injected source. It never imports the command line or the
// prompt drivers.
package vault
