package viewstamp

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// File names inside a wiki's directory (DATA/wikis/<slug>).
const (
	mainRef      = "repo.git/refs/heads/main"
	packedRefs   = "repo.git/packed-refs"
	settingsFile = "settings.stamp"
)

// Stamp is the state of one wiki that a cached view was rendered from.
// Two reads of the same wiki give equal Stamps only if neither its main
// branch nor its settings changed in between.
type Stamp struct {
	Commit   string // the commit refs/heads/main names
	Settings string // the settings token
}

// Read reads a wiki's stamp: two small file reads, no lock, no database.
// ok is false when the wiki has no settings token yet or its main branch
// cannot be read as a plain commit id; such a wiki is not cached.
func Read(dir string) (s Stamp, ok bool) {
	if s.Settings, ok = Settings(dir); !ok {
		return s, false
	}
	s.Commit, ok = Commit(dir)
	return s, ok
}

// Commit reads refs/heads/main the way git does: the loose file, else its
// line in packed-refs. git replaces either file by rename, so a reader
// sees an old or a new value, never a torn one.
func Commit(dir string) (string, bool) {
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
	data, err := os.ReadFile(filepath.Join(dir, packedRefs))
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

// commitID accepts a SHA-1 or SHA-256 commit id in lower-case hex only, so
// a symbolic ref or a damaged file is never taken for a commit.
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

// Settings reads the settings token; false when there is none.
func Settings(dir string) (string, bool) {
	var buf [tokenLen + 1]byte
	n, err := readSmall(filepath.Join(dir, settingsFile), buf[:])
	if err != nil || n != tokenLen {
		return "", false
	}
	return string(buf[:n]), true
}

// tokenLen is the length of a token: 128 random bits in hex.
const tokenLen = 32

// Renew gives the wiki a new settings token, so every view cached under
// the old one is stale. Call it after each change of the preferences has
// committed. The token is written to a temporary file renamed over the
// old one, so readers see the old token or the new one.
func Renew(dir string) (string, error) {
	var b [tokenLen / 2]byte
	_, _ = rand.Read(b[:])
	token := hex.EncodeToString(b[:])
	f, err := os.CreateTemp(dir, settingsFile+".*")
	if err != nil {
		return "", err
	}
	_, err = f.WriteString(token)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(dir, settingsFile))
	}
	if err != nil {
		_ = os.Remove(f.Name())
		return "", err
	}
	return token, nil
}

// Ensure returns the settings token, creating one when the wiki has none
// (a wiki created before tokens existed, or one just created or
// recreated under the same name: its directory is new, so is its token).
func Ensure(dir string) (string, error) {
	if t, ok := Settings(dir); ok {
		return t, nil
	}
	return Renew(dir)
}
