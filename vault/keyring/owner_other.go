//go:build !unix

package keyring

import "io/fs"

// ownedByUs accepts everything where file owners are not uids.
func ownedByUs(string, fs.FileInfo) error { return nil }
