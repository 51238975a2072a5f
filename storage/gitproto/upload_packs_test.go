package gitproto_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
)

// sideBand splits a side-band response (after its protocol lines) into the
// pack, the progress text and the error text, checking every line against
// the largest size the mode allows.
func sideBand(t *testing.T, body []byte, maxLine int) (pack []byte, progress, errs string) {
	t.Helper()
	i := bytes.Index(body, []byte("NAK\n"))
	if i < 0 {
		t.Fatalf("no NAK in %q", clipBody(body))
	}
	rest := body[i+4:]
	for len(rest) >= 4 {
		n, err := strconv.ParseUint(string(rest[:4]), 16, 32)
		if err != nil {
			t.Fatalf("bad side-band line header %q", rest[:4])
		}
		if n == 0 {
			if len(rest) != 4 {
				t.Errorf("%d bytes after the final flush", len(rest)-4)
			}
			return pack, progress, errs
		}
		if int(n) > maxLine {
			t.Fatalf("side-band line of %d bytes, limit %d", n, maxLine)
		}
		line := rest[4:n]
		switch line[0] {
		case 1:
			pack = append(pack, line[1:]...)
		case 2:
			progress += string(line[1:])
		case 3:
			errs += string(line[1:])
		default:
			t.Fatalf("unknown band %d", line[0])
		}
		rest = rest[n:]
	}
	t.Fatalf("side-band stream without final flush")
	return
}

func TestUploadSideBand(t *testing.T) {
	dir := mustHistoryRepo(t, 40, 30, "repack", "-adq")
	url := serveDir(t, dir)
	head := strings.TrimSpace(runGit(t, dir, "rev-parse", "main"))
	want := strings.Count(runGit(t, dir, "rev-list", "--objects", "--all"), "\n")
	cases := []struct {
		name, caps   string
		maxLine      int
		wantProgress bool
	}{
		{"side-band-64k", "side-band-64k ofs-delta", 65520, true},
		{"side-band", "side-band ofs-delta", 1000, true},
		{"no-progress", "side-band-64k no-progress ofs-delta", 65520, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, body := postUpload(t, url, pkt("want "+head+" "+c.caps+"\n", "", "done\n"), nil)
			if st != 200 {
				t.Fatalf("status %d", st)
			}
			pack, progress, errs := sideBand(t, body, c.maxLine)
			if errs != "" {
				t.Errorf("band 3: %q", errs)
			}
			if got := strings.Contains(progress, "Total "); got != c.wantProgress {
				t.Errorf("progress %q", progress)
			}
			if got := mustIndexPack(t, pack); got != want {
				t.Errorf("pack holds %d objects, want %d", got, want)
			}
		})
	}
}

// TestUploadWithoutOfsDelta: a client that did not ask for ofs-delta gets
// its deltas as REF_DELTA.
func TestUploadWithoutOfsDelta(t *testing.T) {
	dir := mustHistoryRepo(t, 40, 30, "repack", "-adq")
	url := serveDir(t, dir)
	head := strings.TrimSpace(runGit(t, dir, "rev-parse", "main"))
	st, body := postUpload(t, url, pkt("want "+head+"\n", "", "done\n"), nil)
	if st != 200 {
		t.Fatalf("status %d", st)
	}
	pack := packAfter(t, body)
	sc := packfile.NewScanner(bytes.NewReader(pack))
	_, n, err := sc.Header()
	if err != nil {
		t.Fatal(err)
	}
	refDeltas := 0
	for i := uint32(0); i < n; i++ {
		oh, err := sc.NextObjectHeader()
		if err != nil {
			t.Fatal(err)
		}
		switch oh.Type {
		case plumbing.OFSDeltaObject:
			t.Fatalf("object %d is an OFS_DELTA", i)
		case plumbing.REFDeltaObject:
			refDeltas++
		}
		if _, _, err := sc.NextObject(&bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
	}
	if refDeltas == 0 {
		t.Error("no deltas at all: the repository's deltas were not reused")
	}
	mustIndexPack(t, pack)
}

// TestCloneManyPacksAndLoose: objects spread over an unrepacked fast-import
// pack, a pushed pack and loose objects all reach the client.
func TestCloneManyPacksAndLoose(t *testing.T) {
	dir := mustHistoryRepo(t, 30, 20)
	commitInBare(t, dir, 60, "packed") // 180 objects: kept as a pack
	commitInBare(t, dir, 3, "loose")   // 9 objects: unpacked loose
	packs, _ := filepath.Glob(filepath.Join(dir, "objects", "pack", "*.pack"))
	loose, _ := filepath.Glob(filepath.Join(dir, "objects", "??", "*"))
	if len(packs) < 2 || len(loose) == 0 {
		t.Fatalf("setup: %d packs, %d loose objects", len(packs), len(loose))
	}
	url := serveDir(t, dir)
	work := filepath.Join(t.TempDir(), "clone.git")
	runGit(t, ".", "clone", "-q", "--bare", url, work)
	want := strings.TrimSpace(runGit(t, dir, "rev-list", "--objects", "--all", "--count"))
	if got := runGit(t, work, "count-objects", "-v"); !strings.Contains(got, "in-pack: "+want+"\n") {
		t.Errorf("clone %q, want in-pack %s", got, want)
	}
	mustFsck(t, work)
}

// mustThinPushRepo builds a repository whose newest commit arrived in a
// thin push: its pack stores the edited page as a delta against the old
// version. It returns the repository and the commits before and after.
func mustThinPushRepo(t *testing.T) (dir, before, after string) {
	t.Helper()
	dir = mustHistoryRepo(t, 20, 20, "repack", "-adq")
	runGit(t, dir, "config", "receive.unpackLimit", "1") // keep pushed packs as packs
	before = strings.TrimSpace(runGit(t, dir, "rev-parse", "main"))
	editor := filepath.Join(t.TempDir(), "editor")
	runGit(t, ".", "clone", "-q", dir, editor)
	page := filepath.Join(editor, "dir05", "page-0005.md")
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, append(b, "One more line about otters.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	runGit(t, editor, "commit", "-q", "-am", "small edit")
	// file:// pushes are not thin by default, and bitmaps would hide the bases.
	runGit(t, editor, "-c", "pack.useBitmaps=false", "push", "-q", "--thin", "origin", "main")
	after = strings.TrimSpace(runGit(t, dir, "rev-parse", "main"))
	return dir, before, after
}

// TestFetchThinPack: the new version of a page is stored as a delta against
// the old one, which the fetching client has: the delta is sent as it is
// (a thin pack), not rebuilt whole.
func TestFetchThinPack(t *testing.T) {
	dir, before, _ := mustThinPushRepo(t)
	url := serveDir(t, dir)
	client := filepath.Join(t.TempDir(), "client")
	runGit(t, ".", "clone", "-q", url, client)
	runGit(t, client, "reset", "-q", "--hard", before)
	runGit(t, client, "update-ref", "refs/remotes/origin/main", before)
	runGit(t, client, "-c", "gc.auto=0", "reflog", "expire", "--expire=now", "--all")
	runGit(t, client, "-c", "gc.auto=0", "gc", "-q", "--prune=now")

	out := runGit(t, client, "fetch", "--progress", "origin")
	m := regexp.MustCompile(`remote: Total (\d+) \(delta (\d+)\)`).FindStringSubmatch(out)
	if m == nil || m[2] == "0" {
		t.Errorf("fetch sent no delta against the client's objects:\n%s", out)
	}
	runGit(t, client, "merge", "-q", "--ff-only", "origin/main")
	if got, err := os.ReadFile(filepath.Join(client, "dir05", "page-0005.md")); err != nil || !bytes.HasSuffix(got, []byte("otters.\n")) {
		t.Errorf("edited page after fetch: %q %v", got, err)
	}
	mustFsck(t, client)
}

// TestFetchNotThinWithoutCapability: without thin-pack, a delta whose base
// stays behind is rebuilt and sent whole, so the pack stands alone.
func TestFetchNotThinWithoutCapability(t *testing.T) {
	dir, before, after := mustThinPushRepo(t)
	url := serveDir(t, dir)
	st, body := postUpload(t, url, pkt("want "+after+" ofs-delta\n", "", "have "+before+"\n", "done\n"), nil)
	if st != 200 {
		t.Fatalf("status %d %q", st, clipBody(body))
	}
	repo := filepath.Join(t.TempDir(), "check.git")
	runGit(t, ".", "init", "-q", "--bare", repo)
	cmd := gitCommand(t, repo, "index-pack", "--stdin")
	cmd.Stdin = bytes.NewReader(packAfter(t, body))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the pack needs objects outside it: %v\n%s", err, out)
	}
	if got := packObjects(t, packAfter(t, body)); got != 4 {
		t.Errorf("pack holds %d objects, want 4 (commit, two trees, blob)", got)
	}
}
