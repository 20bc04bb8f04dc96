package keyring

import "io/fs"

// fileID identifies one version of an item's file: replacing the file (a
// new inode) or rewriting it in place (size, modification time) changes
// it. The agent keeps a decrypted item only while its file's ID stays.
type fileID struct {
	dev, ino    uint64
	size, mtime int64
}

func identify(st fs.FileInfo) fileID {
	dev, ino := inode(st)
	return fileID{dev: dev, ino: ino, size: st.Size(), mtime: st.ModTime().UnixNano()}
}
