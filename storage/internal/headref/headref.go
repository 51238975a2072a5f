package headref

import (
	"bytes"
	"errors"
	"io/fs"
	"path/filepath"
)

// File names inside a wiki's directory (DATA/wikis/<slug>).
const (
	mainRef    = "repo.git/refs/heads/main"
	packedRefs = "repo.git/packed-refs"
)

// Main reads the commit refs/heads/main names in the wiki directory dir,
// the way git does: the loose file, else its line in packed-refs. git and
// warren replace either file by rename, so a reader sees an old or a new
// value, never a torn one. false when the branch is unborn or the file
// holds anything but a commit id (a symbolic ref, damage).
func Main(dir string) (string, bool) {
	var buf [80]byte
	n, err := readSmall(filepath.Join(dir, mainRef), buf[:])
	if errors.Is(err, fs.ErrNotExist) {
		return packed(dir)
	}
	if err != nil {
		return "", false
	}
	return commitID(bytes.TrimSuffix(buf[:n], []byte("\n")))
}

// packed finds refs/heads/main in packed-refs.
func packed(dir string) (string, bool) {
	data, err := readFile(filepath.Join(dir, packedRefs))
	if err != nil {
		return "", false
	}
	for line := range bytes.Lines(data) {
		id, name, found := bytes.Cut(bytes.TrimSuffix(line, []byte("\n")), []byte(" "))
		if found && string(name) == "refs/heads/main" {
			return commitID(id)
		}
	}
	return "", false
}

// commitID accepts a SHA-1 or SHA-256 commit id in lower-case hex only.
func commitID(b []byte) (string, bool) {
	if len(b) != 40 && len(b) != 64 {
		return "", false
	}
	for _, c := range b {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return "", false
		}
	}
	return string(b), true
}
