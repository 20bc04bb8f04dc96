// Package vault is aws-vault's core: it turns a resolved profile
// (vault/config) and the items in a keyring (vault/keyring) into
// credentials, as aws-vault v7 does, and keeps them.
//
//   - [Store] is the one view of aws-vault's keyring items: long-term
//     credentials, cached sessions ([SessionKey]) and SSO tokens, in
//     aws-vault v7's format.
//   - [Chain] gets temporary credentials for a profile: one provider per
//     step of its source_profile chain (stored key, GetSessionToken,
//     AssumeRole, SSO, web identity, credential_process), each cached, fetched
//     under a cross-process [Locker] and asking for MFA codes through an
//     [MFATokenSource] (guarded by [MFAStepGuard]: never one code twice).
//     AWS calls are bounded and use the SDK's own configuration
//     ([AWSConfigLoader]). SSO sign-ins (device code, or authorization
//     code with PKCE) reach the user through an [SSOUser].
//   - [ConsoleLogin], [Rotate] and [Import] are login, rotate and import;
//     [RotateOlder] rotates by key age ([KeyAges], [OldKeyWarnings]).
//   - [AuditLog] is the issuance log: a line per hand-out of credentials,
//     with the chain's [Step]s; [ReadAuditLog] reads it back.
//   - [FormatCredentials] and [ChildEnviron] are what export prints and
//     what exec's child sees.
//
// It never prints and never imports the command line or the prompt
// drivers: what the user should read reaches the caller through a
// [Reporter], or as an error; a hint only the core knows travels as a
// [HintedError], and an AWS refusal the user can act on is marked
// [AWSRefusal] for the caller to explain.
package vault
