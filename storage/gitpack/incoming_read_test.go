package gitpack_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/warren-wiki/warren/storage/gitpack"
	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/internal/storetest"
)

// mustHeavyHistory builds, with the real git, a repository whose pack holds
// long delta chains of large files: versions of a 256 KiB page edited a few
// lines at a time, beside small pages. It returns the work tree.
func mustHeavyHistory(tb testing.TB, commits int) string {
	tb.Helper()
	work := filepath.Join(tb.TempDir(), "work")
	storetest.MustGit(tb, filepath.Dir(work), "init", "-q", "-b", "main", work)
	lines := make([]string, 4096)
	for i := range lines {
		lines[i] = fmt.Sprintf("line %04d: the otters build a dam across the river.\n", i)
	}
	for c := range commits {
		for k := range 3 {
			l := (c*131 + k*977) % len(lines)
			lines[l] = fmt.Sprintf("line %04d: edited in commit %d.\n", l, c)
		}
		mustWrite(tb, filepath.Join(work, "Big.md"), strings.Join(lines, ""))
		mustWrite(tb, filepath.Join(work, fmt.Sprintf("Page %d.md", c%7)), fmt.Sprintf("# Page\n\nversion %d\n", c))
		storetest.MustGit(tb, work, "add", "-A")
		storetest.MustGit(tb, work, "commit", "-q", "-m", fmt.Sprintf("edit %d", c))
	}
	storetest.MustGit(tb, work, "repack", "-adfq", "--depth=50", "--window=10")
	return work
}

func mustWrite(tb testing.TB, path, text string) {
	tb.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// mustOpenStore opens the object store of the repository at dir, closed
// when the test ends.
func mustOpenStore(tb testing.TB, dir string) *gitpack.ObjectStore {
	tb.Helper()
	st, err := gitpack.OpenObjectStore(dir)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(st.Close)
	return st
}

// mustPack is the pack git would push for everything in work.
func mustPack(tb testing.TB, work string) []byte {
	tb.Helper()
	cmd := exec.Command("git", "pack-objects", "--all", "--stdout", "-q")
	cmd.Dir = work
	cmd.Stdin = strings.NewReader("")
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("pack-objects: %v", err)
	}
	return out
}

// gitObjects reads every object of work with git cat-file: id → type and
// content.
func gitObjects(tb testing.TB, work string) map[plumbing.Hash]gitObject {
	tb.Helper()
	cmd := exec.Command("git", "cat-file", "--batch-all-objects", "--batch")
	cmd.Dir = work
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("cat-file: %v", err)
	}
	objs := map[plumbing.Hash]gitObject{}
	r := bufio.NewReader(bytes.NewReader(out))
	for {
		head, err := r.ReadString('\n')
		if err == io.EOF {
			return objs
		} else if err != nil {
			tb.Fatal(err)
		}
		f := strings.Fields(head)
		size, _ := strconv.Atoi(f[2])
		data := make([]byte, size+1) // the content and its newline
		if _, err := io.ReadFull(r, data); err != nil {
			tb.Fatal(err)
		}
		typ, _ := plumbing.ParseObjectType(f[1])
		objs[plumbing.NewHash(f[0])] = gitObject{typ: typ, data: data[:size]}
	}
}

type gitObject struct {
	typ  plumbing.ObjectType
	data []byte
}

// mustReceive receives pack into a new empty repository and installs it.
func mustReceive(tb testing.TB, pack []byte) (*gitrepo.Repo, *gitpack.IncomingPack) {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "repo.git")
	storetest.MustGit(tb, filepath.Dir(dir), "init", "-q", "--bare", "-b", "main", dir)
	repo, err := gitrepo.OpenRepo(dir)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { repo.Close() })
	in, err := gitpack.ReceivePackFile(repo, bytes.NewReader(pack), gitpack.Limits{}.PushLimits())
	if err != nil {
		tb.Fatalf("receive: %v", err)
	}
	tb.Cleanup(in.Discard)
	return repo, in
}

// TestPushedPackReadsAsGitDoes: every object of a pack with long delta
// chains of large files, read in pieces through the store's buffers, is
// byte for byte what git reads — before the pack is installed (the push's
// checks) and after (the repository's store).
func TestPushedPackReadsAsGitDoes(t *testing.T) {
	work := mustHeavyHistory(t, 40)
	want := gitObjects(t, work)
	repo, in := mustReceive(t, mustPack(t, work))
	objs := &gitpack.PushObjects{Repo: repo, In: in}
	for h, o := range want {
		data, err := objs.Read(h, o.typ)
		if err != nil || !bytes.Equal(data, o.data) {
			t.Fatalf("pushed pack: %s reads %d bytes (%v), git has %d", h, len(data), err, len(o.data))
		}
	}
	if err := in.Install(); err != nil {
		t.Fatal(err)
	}
	st := mustOpenStore(t, repo.Dir())
	for h, o := range want {
		typ, data, err := st.Read(h)
		if err != nil || plumbing.ObjectType(typ) != o.typ || !bytes.Equal(data, o.data) {
			t.Fatalf("store: %s is a %v of %d bytes (%v), git has a %v of %d", h, plumbing.ObjectType(typ), len(data), err, o.typ, len(o.data))
		}
	}
}

func TestInstalledPackLetsGoOfItsReader(t *testing.T) {
	work := mustHeavyHistory(t, 6)
	repo, in := mustReceive(t, mustPack(t, work))
	n := in.Count
	if n == 0 || len(in.Objects) != n {
		t.Fatalf("received %d objects, table of %d", n, len(in.Objects))
	}
	if err := in.Install(); err != nil {
		t.Fatal(err)
	}
	if in.Objects != nil || in.Count != n {
		t.Fatalf("after install: table of %d, count %d (want none, %d)", len(in.Objects), in.Count, n)
	}
	if err := repo.Reload(); err != nil {
		t.Fatal(err)
	}
	// What the push brought is read from the repository now.
	head := strings.TrimSpace(storetest.MustGit(t, work, "rev-parse", "HEAD"))
	objs := &gitpack.PushObjects{Repo: repo, In: in}
	if _, err := objs.Read(plumbing.NewHash(head), plumbing.CommitObject); err != nil {
		t.Fatalf("reading the pushed tip after install: %v", err)
	}
}
