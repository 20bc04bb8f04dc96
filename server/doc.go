// Package server holds aws-vault's local credential servers: the ECS
// container-credentials server of `exec --ecs-server`, the EC2 instance
// metadata server of `exec --ec2-server` (IMDSv1 and IMDSv2), and the root
// helper behind `aws-vault proxy` that puts that server on
// 169.254.169.254:80.
//
// The servers are http.Handler constructors (NewECSHandler, NewEC2Handler,
// NewProxyHandler); listening and serving are separate functions that bind
// loopback only and return their errors to the caller. Credentials come from
// a Source, which serves them from memory and refreshes them before they
// expire through the SDK's credential cache. The package never imports the
// command line.
package server
