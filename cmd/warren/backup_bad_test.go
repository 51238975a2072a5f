package main_test

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// rewriteTar copies a tar, letting edit change each entry's content (nil:
// drop it) and add appends entries at the end.
func rewriteTar(t *testing.T, src, dst string, edit func(name string, b []byte) []byte, add map[string]string) {
	t.Helper()
	in, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	tr, tw := tar.NewReader(bytes.NewReader(in)), tar.NewWriter(&out)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		if b = edit(hdr.Name, b); b == nil {
			continue
		}
		hdr.Size = int64(len(b))
		tw.WriteHeader(hdr)
		tw.Write(b)
	}
	for name, content := range add {
		if strings.HasPrefix(content, "symlink:") {
			tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeSymlink, Linkname: strings.TrimPrefix(content, "symlink:"), Mode: 0o777})
			continue
		}
		tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Size: int64(len(content)), Mode: 0o644})
		tw.Write([]byte(content))
	}
	tw.Close()
	if err := os.WriteFile(dst, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBackupBadInput: a backup into a non-empty or unwritable place, an
// existing tar file or from a missing farm is a usage error (exit 2) that
// leaves the place as it was; a restore of a truncated, tampered or
// hostile archive is refused (exit 2) before anything is written.
func TestBackupBadInput(t *testing.T) {
	c := cli{t: t}
	tmp := t.TempDir()
	data := filepath.Join(tmp, "data")
	c.ok("wiki", "create", "--data", data, "--owner", "olivia", "acme")
	good := filepath.Join(tmp, "good.tar")
	c.ok("backup", "--data", data, good)
	export := filepath.Join(tmp, "acme.tar")
	c.ok("export", "--data", data, "acme", export)

	full := filepath.Join(tmp, "full")
	writeFile(t, filepath.Join(mkdir(t, full), "keep.txt"), "mine")
	aFile := filepath.Join(tmp, "a-file")
	writeFile(t, aFile, "x")
	for name, args := range map[string][]string{
		"into a non-empty directory":  {"backup", "--data", data, full},
		"under a regular file":        {"backup", "--data", data, filepath.Join(aFile, "backup")},
		"over an existing tar":        {"backup", "--data", data, good},
		"tar under a regular file":    {"backup", "--data", data, filepath.Join(aFile, "b.tar")},
		"of a directory without farm": {"backup", "--data", filepath.Join(tmp, "nothing"), filepath.Join(tmp, "b2")},
		"export of an unknown wiki":   {"export", "--data", data, "nope", filepath.Join(tmp, "e2")},
		"import under a bad slug":     {"import", "--data", data, "../x", export},
	} {
		if r := c.run(args...); r.code != 2 || r.stderr == "" {
			t.Errorf("%s: exit %d, stderr %q", name, r.code, r.stderr)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(full, "keep.txt")); string(b) != "mine" {
		t.Errorf("a refused backup changed the directory")
	}
	if entries, _ := os.ReadDir(full); len(entries) != 1 {
		t.Errorf("a refused backup left files: %v", entries)
	}
	if _, err := os.Stat(filepath.Join(tmp, "b2")); err == nil {
		t.Errorf("a refused backup created its target")
	}

	raw, _ := os.ReadFile(good)
	truncated := filepath.Join(tmp, "truncated.tar")
	writeFile(t, truncated, string(raw[:len(raw)/2]))
	tampered := filepath.Join(tmp, "tampered.tar")
	rewriteTar(t, good, tampered, func(name string, b []byte) []byte {
		if strings.HasSuffix(name, "repo.pack") {
			b[len(b)/2] ^= 0xff
		}
		return b
	}, nil)
	dropped := filepath.Join(tmp, "dropped.tar")
	rewriteTar(t, good, dropped, func(name string, b []byte) []byte {
		if strings.HasSuffix(name, "wiki.db") || strings.HasSuffix(name, "refs.json") {
			return nil
		}
		return b
	}, nil)
	traversal := filepath.Join(tmp, "traversal.tar")
	rewriteTar(t, good, traversal, func(_ string, b []byte) []byte { return b }, map[string]string{"../../evil.txt": "pwned"})
	symlink := filepath.Join(tmp, "symlink.tar")
	rewriteTar(t, good, symlink, func(_ string, b []byte) []byte { return b }, map[string]string{"wikis/acme/extra": "symlink:/etc/passwd"})
	foreign := filepath.Join(tmp, "foreign.tar")
	rewriteTar(t, good, foreign, func(name string, b []byte) []byte {
		if name == "warren-backup.json" {
			return []byte(`{"format":"something-else","version":1}`)
		}
		return b
	}, nil)
	target := filepath.Join(tmp, "restored")
	for name, in := range map[string]string{
		"truncated tar":           truncated,
		"tampered pack":           tampered,
		"files missing":           dropped,
		"path traversal":          traversal,
		"symlink entry":           symlink,
		"foreign manifest":        foreign,
		"an export as a farm":     export,
		"a missing archive":       filepath.Join(tmp, "missing.tar"),
		"a directory without one": full,
	} {
		if r := c.run("restore", "--data", target, in); r.code != 2 || r.stderr == "" {
			t.Errorf("restore of %s: exit %d, stderr %q", name, r.code, r.stderr)
		}
		if _, err := os.Stat(target); err == nil {
			t.Fatalf("restore of %s wrote %s", name, target)
		}
	}
	if _, err := os.Stat(filepath.Join(tmp, "..", "evil.txt")); err == nil {
		t.Errorf("path traversal wrote outside")
	}
	if leftovers, _ := filepath.Glob(filepath.Join(tmp, ".warren-restore-*")); len(leftovers) > 0 {
		t.Errorf("refused restores left %v", leftovers)
	}
	if r := c.run("restore", "--data", data, good); r.code != 2 || !strings.Contains(r.stderr, "not empty") {
		t.Errorf("restore into the live data directory: exit %d %s", r.code, r.stderr)
	}
	if r := c.run("import", "--data", data, "copy", good); r.code != 2 {
		t.Errorf("import of a farm backup: exit %d %s", r.code, r.stderr)
	}
}

func mkdir(t *testing.T, dir string) string {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
