// Package config reads ~/.aws/config and ~/.aws/credentials the way
// aws-vault v7 does, and appends profiles to the config file.
//
// It owns the files (capped reads of regular files only, atomic writes
// serialised by a lock function the caller injects), their sections, the
// resolution of a profile ([Loader]: the command line, the environment,
// the profile's section, include_profile, sso-session and [default], then
// its source_profile chain), durations, session tags, profile-name
// validation, and the one parser of the shared credentials file
// ([CredentialsFile]). It imports nothing of aws-vault's but internal/, so
// that every other package can use it.
package config
