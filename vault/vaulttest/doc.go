// Package vaulttest is a local AWS emulator for tests and demos: it plays STS,
// IAM and the console sign-in federation endpoint, strict where AWS is strict.
//
// An [AWS] value holds the emulated world: IAM users with long-term access
// keys, virtual MFA devices (RFC 6238 TOTP), roles with trust rules, and the
// temporary credentials STS has issued. Every request signed with SigV4 is
// verified for real against the secret the emulator knows, and refusals carry
// the HTTP status, error code and message AWS would send, so the
// aws-sdk-go-v2 clients parse them exactly as they parse AWS's answers.
//
// There are two ways in:
//
//   - [AWS.Handler] (or [AWS.StartServer], [NewTestServer]) serves every
//     emulated service on one URL, for AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_STS,
//     AWS_ENDPOINT_URL_IAM or endpoint_url. STS and IAM are told apart by the
//     service in the SigV4 credential scope (unsigned calls by their Action
//     and Version), and the path /federation is the sign-in endpoint.
//   - [AWS.StartProxy] (or [NewTestProxy]) is an HTTPS proxy that terminates
//     TLS for the real AWS host names with certificates signed by a throwaway
//     CA, so a client needs only HTTPS_PROXY and AWS_CA_BUNDLE. Go's
//     http.ProxyFromEnvironment reads the environment once per process, so a
//     test that relies on HTTPS_PROXY should run its client in a child
//     process.
//
// Time comes from the emulator's clock ([WithClock], [Clock]): it drives
// expiry, TOTP codes and the 5-minute SigV4 window. Every answer carries a
// Date header from that clock, so when a test moves the clock the SDK's
// clock-skew correction retries with a corrected signing time, as it would
// against AWS (with retries disabled the SDK sees "Signature expired").
//
// Every request is recorded ([AWS.Requests]) and faults can be injected per
// action ([AWS.Fault]). [Fixture] builds the fixed world used by golden
// tests; its keys, role ARNs and TOTP secrets are the constants below.
//
// This package is test support only: nothing in it is meant for production.
package vaulttest
