// Package vaulttest is a local AWS emulator for tests and demos: it plays STS,
// IAM, the console sign-in federation endpoint and IAM Identity Center (SSO
// OIDC and the SSO portal), strict where AWS is strict.
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
//     AWS_ENDPOINT_URL_IAM, AWS_ENDPOINT_URL_SSO_OIDC, AWS_ENDPOINT_URL_SSO
//     or endpoint_url. STS and IAM are told apart by the service in the SigV4
//     credential scope (unsigned calls by their Action and Version), the
//     path /federation is the sign-in endpoint, and the SSO calls, which are
//     not signed, by their paths (/client/register, /device_authorization,
//     /token, /authorize; /federation/credentials, /assignment/...,
//     /logout; the device verification page /device/).
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
// IAM Identity Center answers as the aws-sdk-go-v2 ssooidc and sso clients,
// the AWS CLI and botocore expect (the exception in x-amzn-ErrorType; SSO
// OIDC bodies {"error", "error_description"}, portal bodies {"message"}),
// on oidc.<region>, portal.sso.<region> and device.sso.<region> through the
// proxy. Instances ([AWS.AddSSOInstance]) have users with permission sets
// ([AWS.AddSSOUser]); GetRoleCredentials hands out real emulator
// credentials of the AWSReservedSSO_ role ([SSORoleARN]), which STS accepts
// and chains roles from. Sign-ins are driven by the test: device
// authorizations wait for [AWS.SSOApprove] or [AWS.SSODeny] (or a browser
// on the verification URL, or SSOSettings.AutoApprove), and a [Browser]
// plays the user's browser on the PKCE authorize URL, calling the client's
// loopback redirect URI. [AWS.RevokeSSOToken], [AWS.RevokeSSOSessions],
// [AWS.ExpireSSOAccessTokens] and [AWS.ExpireSSOClients] end what was
// issued; the clock ends it too. [SSOSettings] holds the lifetimes.
//
// This package is test support only: nothing in it is meant for production.
package vaulttest
