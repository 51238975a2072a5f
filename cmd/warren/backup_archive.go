package main

import (
	"archive/tar"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/warren-wiki/warren/wiki"
)

// A backup (or an export) is a set of files described by a manifest, as a
// directory or as a tar stream whose first entry is the manifest:
//
//	warren-backup.json      format, kind, and every file's size and SHA-256
//	robot.db                (farm) robot.db as of one instant (VACUUM INTO)
//	wiki.json               (wiki) the wiki's row and grants
//	wikis/SLUG/wiki.db      (farm; an export has it at the top) wiki.db
//	wikis/SLUG/repo.pack    one pack of every object the refs reach
//	wikis/SLUG/refs.json    the refs and HEAD the pack was made for
//
// A restore reads and checks everything (sizes, checksums, names, SQLite
// integrity, the packs) in a staging directory before anything reaches the
// destination, so a truncated or tampered archive changes nothing.

const (
	manifestName   = "warren-backup.json"
	manifestFormat = "warren-backup"
	manifestV      = 1
	kindFarm       = "farm"
	kindWiki       = "wiki"
)

// manifest describes an archive.
type manifest struct {
	Format    string         `json:"format"`
	Version   int            `json:"version"`
	Kind      string         `json:"kind"`           // farm or wiki
	Slug      string         `json:"slug,omitempty"` // the exported wiki
	CreatedAt time.Time      `json:"created_at"`
	Warren    string         `json:"warren"`
	Files     []manifestFile `json:"files"`
}

// manifestFile is one file of an archive.
type manifestFile struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// maxManifest bounds the manifest a restore reads into memory.
const maxManifest = 64 << 20

// describe lists the files under dir (sizes and checksums) in a manifest.
func describe(dir string, m *manifest) error {
	m.Format, m.Version, m.Warren = manifestFormat, manifestV, version
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == manifestName {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		f := manifestFile{Path: filepath.ToSlash(rel)}
		f.Size, f.SHA256, err = hashFile(p)
		m.Files = append(m.Files, f)
		return err
	})
}

// hashFile returns a file's size and hex SHA-256.
func hashFile(p string) (int64, string, error) {
	f, err := os.Open(p)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return n, hex.EncodeToString(h.Sum(nil)), err
}

// writeManifest writes m into dir.
func writeManifest(dir string, m *manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, manifestName), append(b, '\n'), 0o640)
}

// writeTar streams the manifest, then every file it lists, as a tar.
func writeTar(out io.Writer, dir string, m *manifest) error {
	tw := tar.NewWriter(out)
	names := append([]string{manifestName}, filePaths(m)...)
	for _, name := range names {
		if err := addToTar(tw, dir, name); err != nil {
			return err
		}
	}
	return tw.Close()
}

func filePaths(m *manifest) []string {
	out := make([]string, len(m.Files))
	for i, f := range m.Files {
		out[i] = f.Path
	}
	return out
}

func addToTar(tw *tar.Writer, dir, name string) error {
	f, err := os.Open(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	hdr := &tar.Header{Name: name, Mode: 0o640, Size: fi.Size(), ModTime: fi.ModTime(), Typeflag: tar.TypeReg, Format: tar.FormatPAX}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// refuseArchive is the error for a damaged, tampered or foreign archive.
func refuseArchive(format string, args ...any) error {
	return wiki.Errorf(wiki.EINVALID, "refusing the archive: "+format, args...)
}

// readManifest reads and checks the manifest of an unpacked archive: the
// format, the kind, and every path against the names an archive of that
// kind may hold.
func readManifest(dir, kind string) (*manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, manifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, refuseArchive("no %s: not a warren backup", manifestName)
	} else if err != nil {
		return nil, err
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, refuseArchive("%s is not valid JSON: %v", manifestName, err)
	}
	if m.Format != manifestFormat || m.Version != manifestV {
		return nil, refuseArchive("format %q version %d is not %s version %d", m.Format, m.Version, manifestFormat, manifestV)
	}
	if m.Kind != kind {
		return nil, refuseArchive("it holds a %s, not a %s (use `warren %s`)", m.Kind, kind, map[string]string{kindFarm: "restore", kindWiki: "import"}[m.Kind])
	}
	seen := map[string]bool{}
	for _, f := range m.Files {
		if err := allowedPath(kind, f.Path); err != nil || seen[f.Path] || f.Size < 0 || len(f.SHA256) != 64 {
			return nil, refuseArchive("unexpected entry %q in the manifest", f.Path)
		}
		seen[f.Path] = true
	}
	return &m, nil
}

// allowedPath accepts the names an archive of kind holds.
func allowedPath(kind, p string) error {
	if p != path.Clean(p) || path.IsAbs(p) || strings.Contains(p, "\\") {
		return refuseArchive("bad path %q", p)
	}
	parts := strings.Split(p, "/")
	switch {
	case kind == kindFarm && p == "robot.db":
		return nil
	case kind == kindWiki && len(parts) == 1 && slices.Contains(wikiFiles, p):
		return nil
	case kind == kindFarm && len(parts) == 3 && parts[0] == "wikis" && wiki.ValidateSlug(parts[1]) == nil && slices.Contains(wikiFiles[1:], parts[2]):
		return nil
	}
	return refuseArchive("unexpected file %q", p)
}

// wikiFiles are the files of one wiki in an archive (wiki.json only in an
// export).
var wikiFiles = []string{"wiki.json", "wiki.db", "repo.pack", "refs.json"}

// verifyFiles checks that dir holds exactly the manifest's files with
// their sizes and checksums.
func verifyFiles(dir string, m *manifest) error {
	want := map[string]manifestFile{}
	for _, f := range m.Files {
		want[f.Path] = f
	}
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == manifestName && filepath.Dir(p) == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		f, ok := want[filepath.ToSlash(rel)]
		if !ok || !d.Type().IsRegular() {
			return refuseArchive("%s is not in the manifest", rel)
		}
		delete(want, f.Path)
		size, sum, err := hashFile(p)
		if err != nil {
			return err
		}
		if size != f.Size || sum != f.SHA256 {
			return refuseArchive("%s is damaged or was changed (size %d, want %d; checksum mismatch)", f.Path, size, f.Size)
		}
		return nil
	})
	// Missing files are reported by missingFiles.
}

// missingFiles fails if any file of the manifest is absent from dir.
func missingFiles(dir string, m *manifest) error {
	for _, f := range m.Files {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(f.Path))); err != nil {
			return refuseArchive("%s is missing (truncated archive?)", f.Path)
		}
	}
	return nil
}

// unpackTar extracts a tar stream into dir, which it fills only with the
// regular files an archive of kind may hold; anything else is refused.
func unpackTar(in io.Reader, dir, kind string) error {
	tr := tar.NewReader(in)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return refuseArchive("the tar stream is damaged or truncated: %v", err)
		}
		if err := extractEntry(tr, hdr, dir, kind); err != nil {
			return err
		}
	}
}

func extractEntry(tr *tar.Reader, hdr *tar.Header, dir, kind string) error {
	if hdr.Typeflag != tar.TypeReg {
		return refuseArchive("entry %q is not a regular file", hdr.Name)
	}
	if hdr.Name != manifestName {
		if err := allowedPath(kind, hdr.Name); err != nil {
			return err
		}
	}
	dst := filepath.Join(dir, filepath.FromSlash(hdr.Name))
	if _, err := os.Lstat(dst); err == nil {
		return refuseArchive("entry %q appears twice", hdr.Name)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return err
	}
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := io.Copy(f, tr); err != nil {
		return refuseArchive("entry %q is truncated: %v", hdr.Name, err)
	}
	return f.Close()
}

// fmtSlugs counts wikis for messages.
func fmtSlugs(slugs []string) string {
	if len(slugs) == 1 {
		return "1 wiki"
	}
	return fmt.Sprintf("%d wikis", len(slugs))
}
