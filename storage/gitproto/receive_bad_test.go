package gitproto_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/warren-wiki/warren/storage/gitpack"
	"github.com/warren-wiki/warren/storage/gitproto"
	"github.com/warren-wiki/warren/wiki"
)

func TestPushToRefsNotesRefused(t *testing.T) {
	e := newPushEnv(t, gitproto.ReceiveOptions{})
	commitIn(t, e.work, map[string]string{"A.md": "a\n"}, "a")
	e.mustRefuse("only branches (refs/heads/*) and tags (refs/tags/*) can be pushed", "origin", "HEAD:refs/notes/x")
}

// TestPushSymlinkKeptInert: a symlink (GitHub wikis often hold README.md ->
// Home.md) is accepted as the git object it is; warren has no work tree to
// follow it in, and the indexes never serve it (storage tests).
func TestPushSymlinkKeptInert(t *testing.T) {
	e := newPushEnv(t, gitproto.ReceiveOptions{})
	runGit(t, e.work, "update-index", "--add", "--cacheinfo", "120000,"+hashObject(t, e.work, "/etc/passwd")+",docs/x")
	runGit(t, e.work, "commit", "-q", "-m", "symlink")
	e.mustPush("origin", "main")
	assertRepoSound(t, e.repo)
}

// TestPushSubmoduleKeptInert: a submodule entry names a commit of another
// repository, which is neither needed nor fetched.
func TestPushSubmoduleKeptInert(t *testing.T) {
	e := newPushEnv(t, gitproto.ReceiveOptions{})
	head := strings.TrimSpace(runGit(t, e.work, "rev-parse", "HEAD"))
	runGit(t, e.work, "update-index", "--add", "--cacheinfo", "160000,"+strings.Repeat("ab", 20)+",vendor/lib")
	runGit(t, e.work, "commit", "-q", "-m", "submodule")
	e.mustPush("origin", "main")
	_ = head
	assertRepoSound(t, e.repo)
}

// TestPushOddPathOnlyInOldCommit: a path the page rules refuse, present only
// in an older commit of the history, is imported as it is; the tip is what
// is served. A harmful component stays refused even there.
func TestPushOddPathOnlyInOldCommit(t *testing.T) {
	e := newPushEnv(t, gitproto.ReceiveOptions{})
	head := strings.TrimSpace(runGit(t, e.work, "rev-parse", "origin/main"))
	odd := strings.TrimSpace(runGit(t, e.work, "commit-tree", makeTree(t, e.work, map[string]string{"-rf.md": "x\n", "Home.md": "# Home\n"}), "-p", head, "-m", "2019"))
	fixed := strings.TrimSpace(runGit(t, e.work, "commit-tree", makeTree(t, e.work, map[string]string{"rf.md": "x\n", "Home.md": "# Home\n"}), "-p", odd, "-m", "renamed"))
	e.mustPush("origin", fixed+":refs/heads/main")

	harmful := strings.TrimSpace(runGit(t, e.work, "commit-tree", makeTree(t, e.work, map[string]string{".git /config": "x\n", "Home.md": "# Home\n"}), "-p", fixed, "-m", "old harm"))
	clean := strings.TrimSpace(runGit(t, e.work, "commit-tree", makeTree(t, e.work, map[string]string{"Home.md": "# Home again\n"}), "-p", harmful, "-m", "clean"))
	e.mustRefuse("path not allowed", "origin", clean+":refs/heads/main")
}

func TestPushOversizeBlobRefused(t *testing.T) {
	e := newPushEnv(t, gitproto.ReceiveOptions{Limits: gitpack.Limits{MaxBlob: 1000}})
	commitIn(t, e.work, map[string]string{"Big.md": randomText(t, 5000)}, "big")
	e.mustRefuse("file too large: Big.md is 4.9 KiB, over the limit of 1000 bytes", "origin", "main")
	// A large blob the wiki already has, put at a new path, is caught by
	// the tree check too (git's sparse walk would resend it; the full
	// walk leaves it out of the pack).
	runGit(t, e.work, "reset", "-q", "--hard", "origin/main")
	runGit(t, e.work, "mv", "Notes/Otters.md", "Moved.md")
	runGit(t, e.work, "commit", "-q", "-m", "move")
	e.env = []string{"GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=pack.useSparse", "GIT_CONFIG_VALUE_0=false"}
	e.mustRefuse("file too large: Moved.md is 4.9 KiB, over the limit of 1000 bytes", "origin", "main")
}

// TestPushHugeObjectRefused: an object far over the blob limit is refused
// while the pack streams in, before anything holds it in memory.
func TestPushHugeObjectRefused(t *testing.T) {
	e := newPushEnv(t, gitproto.ReceiveOptions{Limits: gitpack.Limits{MaxBlob: 1000}})
	commitIn(t, e.work, map[string]string{"Huge.md": randomText(t, 3<<20)}, "huge")
	e.mustRefuse("the pack holds a blob of 3.0 MiB, over the limit of 1000 bytes", "origin", "main")
}

func TestPushOversizePushRefused(t *testing.T) {
	e := newPushEnv(t, gitproto.ReceiveOptions{Limits: gitpack.Limits{MaxPush: 4096}})
	commitIn(t, e.work, map[string]string{"Big.md": randomText(t, 20000)}, "big")
	e.mustRefuse("the push is larger than the limit of 4.0 KiB", "origin", "main")
}

// TestPushBadPathsRefused pushes trees git itself would never write from a
// work tree (built with mktree), with paths the page-name rules refuse.
func TestPushBadPathsRefused(t *testing.T) {
	e := newPushEnv(t, gitproto.ReceiveOptions{})
	cases := map[string]string{
		"DotGitComponent":  ".git/config",
		"NestedDotGit":     "docs/.GIT/hooks",
		"LeadingDash":      "-rf.md",
		"ControlCharacter": "bell\x07.md",
		"LongComponent":    strings.Repeat("a", 256) + ".md",
		"DotGitWithSpace":  ".git /config",
		"DotGitWithDots":   "docs/.Git../x",
		"DotDotComponent":  "a/../b.md",
		"BackslashInName":  `a\b.md`,
	}
	for name, path := range cases {
		t.Run(name, func(t *testing.T) {
			head := strings.TrimSpace(runGit(t, e.work, "rev-parse", "origin/main"))
			tree := makeTree(t, e.work, map[string]string{path: "x\n", "Home.md": "# Home\n"})
			rev := strings.TrimSpace(runGit(t, e.work, "commit-tree", tree, "-p", head, "-m", "bad path"))
			e.mustRefuse("path not allowed", "origin", rev+":refs/heads/main")
		})
	}
}

// makeTree writes blobs and nested trees for files (path → content) with
// git mktree, which does not check names, and returns the root tree id.
func makeTree(tb testing.TB, dir string, files map[string]string) string {
	tb.Helper()
	subs := map[string]map[string]string{}
	var entries []string
	for p, content := range files {
		if first, rest, ok := strings.Cut(p, "/"); ok {
			if subs[first] == nil {
				subs[first] = map[string]string{}
			}
			subs[first][rest] = content
			continue
		}
		entries = append(entries, "100644 blob "+hashObject(tb, dir, content)+"\t"+p)
	}
	for name, sub := range subs {
		entries = append(entries, "040000 tree "+makeTree(tb, dir, sub)+"\t"+name)
	}
	sort.Strings(entries)
	return strings.TrimSpace(runGitStdin(tb, dir, strings.Join(entries, "\x00")+"\x00", "mktree", "-z"))
}

func randomText(tb testing.TB, n int) string {
	b := make([]byte, n/2)
	if _, err := rand.Read(b); err != nil {
		tb.Fatal(err)
	}
	return fmt.Sprintf("%x", b)
}

// rawEnv is a wiki with one new commit in a clone and the request body
// that pushes it, to be damaged by the raw tests.
type rawEnv struct {
	*pushEnv
	old, rev string
	body     []byte
	packAt   int // offset of the pack in body
}

func newRawEnv(t *testing.T) *rawEnv {
	e := &rawEnv{pushEnv: newPushEnv(t, gitproto.ReceiveOptions{})}
	e.old = e.refs()["refs/heads/main"]
	e.rev = commitIn(t, e.work, map[string]string{"New.md": "new page\n", "Notes/Otters.md": pageText + "more\n"}, "new")
	cmd := e.old + " " + e.rev + " refs/heads/main"
	e.body = rawPush(t, e.work, []string{cmd}, "report-status side-band-64k", e.rev, "^"+e.old)
	e.packAt = bytes.Index(e.body, []byte("PACK"))
	return e
}

// receiveAndCheck runs a raw push and checks that it changed nothing.
func (e *rawEnv) receiveAndCheck(t *testing.T, body []byte) (string, error) {
	t.Helper()
	before := e.refs()
	out, err := receive(t, e.repo, body, gitproto.ReceiveOptions{})
	if after := e.refs(); !maps.Equal(before, after) {
		t.Fatalf("refs moved: before %v after %v", before, after)
	}
	assertRepoSound(t, e.repo)
	return out, err
}

// fixTrailer recomputes a damaged pack's checksum, so that only the damage
// under test is wrong.
func (e *rawEnv) fixTrailer(body []byte) []byte {
	pack := body[e.packAt : len(body)-20]
	sum := sha1.Sum(pack)
	return append(body[:len(body)-20:len(body)-20], sum[:]...)
}

func TestReceiveRawPushWorks(t *testing.T) {
	e := newRawEnv(t)
	out, err := receive(t, e.repo, e.body, gitproto.ReceiveOptions{})
	if err != nil || !strings.Contains(out, "unpack ok") || !strings.Contains(out, "ok refs/heads/main") {
		t.Fatalf("raw push: %v\n%q", err, out)
	}
	if got := e.refs()["refs/heads/main"]; got != e.rev {
		t.Fatalf("main = %s, want %s", got, e.rev)
	}
	assertRepoSound(t, e.repo)
}

func TestReceiveMalformedPktLine(t *testing.T) {
	e := newRawEnv(t)
	cases := map[string]string{
		"NotHex":           "zzzz",
		"LengthTooSmall":   "0003",
		"CutShort":         "00ffabc",
		"BadCommand":       "0010not a command0000",
		"ShortIDs":         "001cabc def refs/heads/main0000",
		"NoFlush":          fmt.Sprintf("%04x%s", 4+len(e.old)+len(e.rev)+17, e.old+" "+e.rev+" refs/heads/main"),
		"SameRefTwice":     string(rawPush(t, e.work, []string{e.old + " " + e.rev + " refs/heads/main", e.old + " " + e.rev + " refs/heads/main"}, "report-status")),
		"NeitherNorDelete": string(rawPush(t, e.work, []string{strings.Repeat("0", 40) + " " + strings.Repeat("0", 40) + " refs/heads/x"}, "report-status")),
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			out, err := e.receiveAndCheck(t, []byte(body))
			if wiki.ErrorCode(err) != wiki.EINVALID || out != "" {
				t.Fatalf("got %v and answer %q, want EINVALID before any answer", err, out)
			}
		})
	}
	// Over HTTP the same request is a 400.
	resp, err := http.Post(e.url+"/git-receive-pack", "application/x-git-receive-pack-request", strings.NewReader("zzzz"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("status %d, want 400", resp.StatusCode)
	}
}

func TestReceiveTruncatedPack(t *testing.T) {
	e := newRawEnv(t)
	for _, cut := range []int{1, 20, 30, (len(e.body) - e.packAt) / 2, len(e.body) - e.packAt - 12} {
		out, err := e.receiveAndCheck(t, e.body[:len(e.body)-cut])
		if err != nil || !strings.Contains(out, "unpack ") || strings.Contains(out, "unpack ok") ||
			!strings.Contains(out, "ng refs/heads/main unpacker error") {
			t.Fatalf("cut %d: %v\n%q", cut, err, out)
		}
	}
}

func TestReceivePackClaimsMoreObjects(t *testing.T) {
	e := newRawEnv(t)
	body := bytes.Clone(e.body)
	n := binary.BigEndian.Uint32(body[e.packAt+8:])
	binary.BigEndian.PutUint32(body[e.packAt+8:], n+1)
	out, err := e.receiveAndCheck(t, e.fixTrailer(body))
	if err != nil || strings.Contains(out, "unpack ok") || !strings.Contains(out, "ng refs/heads/main unpacker error") {
		t.Fatalf("%v\n%q", err, out)
	}
}

func TestReceivePackClaimsFewerObjects(t *testing.T) {
	e := newRawEnv(t)
	body := bytes.Clone(e.body)
	n := binary.BigEndian.Uint32(body[e.packAt+8:])
	binary.BigEndian.PutUint32(body[e.packAt+8:], n-1)
	out, err := e.receiveAndCheck(t, e.fixTrailer(body))
	if err != nil || !strings.Contains(out, "ng refs/heads/main unpacker error") {
		t.Fatalf("%v\n%q", err, out)
	}
}

func TestReceivePackBadChecksum(t *testing.T) {
	e := newRawEnv(t)
	body := bytes.Clone(e.body)
	body[len(body)-1] ^= 0xff
	out, err := e.receiveAndCheck(t, body)
	if err != nil || !strings.Contains(out, "unpack the pack checksum does not match") {
		t.Fatalf("%v\n%q", err, out)
	}
}

func TestReceivePackTrailingGarbage(t *testing.T) {
	e := newRawEnv(t)
	out, err := e.receiveAndCheck(t, append(bytes.Clone(e.body), "junk"...))
	if err != nil || !strings.Contains(out, "data after its checksum") {
		t.Fatalf("%v\n%q", err, out)
	}
}

func TestReceiveCorruptObjectData(t *testing.T) {
	e := newRawEnv(t)
	body := bytes.Clone(e.body)
	body[e.packAt+40] ^= 0x55 // inside the first entry's zlib stream
	out, err := e.receiveAndCheck(t, e.fixTrailer(body))
	if err != nil || !strings.Contains(out, "ng refs/heads/main unpacker error") {
		t.Fatalf("%v\n%q", err, out)
	}
}

// TestReceiveInterruptedPush: the connection breaks in the middle of the
// pack. Nothing is left behind and no ref moves.
func TestReceiveInterruptedPush(t *testing.T) {
	e := newRawEnv(t)
	broken := errors.New("connection reset by peer")
	body := io.MultiReader(bytes.NewReader(e.body[:e.packAt+40]), errReader{broken})
	before := e.refs()
	var lock sync.Mutex
	err := gitproto.ReceivePack(context.Background(), e.repo, &lock, body, io.Discard, gitproto.ReceiveOptions{})
	if !errors.Is(err, broken) {
		t.Fatalf("err = %v, want the read error", err)
	}
	if !maps.Equal(before, e.refs()) {
		t.Fatal("refs moved")
	}
	assertRepoSound(t, e.repo)
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// TestReceiveOrphanCommitRefused: a partly refused push leaves its objects
// in the repository (the pack was needed for the accepted ref). A later
// push that names the refused commit without sending it must still be
// checked: existing objects are not trusted unless a ref reaches them.
func TestReceiveOrphanCommitRefused(t *testing.T) {
	e := newRawEnv(t)
	head := strings.TrimSpace(runGit(t, e.work, "rev-parse", "HEAD"))
	bad := strings.TrimSpace(runGit(t, e.work, "commit-tree", makeTree(t, e.work, map[string]string{"-rf.md": "x\n"}), "-p", head, "-m", "bad"))
	runGit(t, e.work, "branch", "bad", bad)
	out, _ := e.push("origin", "main", "bad")
	if !strings.Contains(out, "path not allowed") || e.refs()["refs/heads/main"] != e.rev {
		t.Fatalf("setup push:\n%s", out)
	}
	zero := strings.Repeat("0", 40)
	body := rawPush(t, e.work, []string{zero + " " + bad + " refs/heads/bad"}, "report-status", bad, "^"+bad)
	out, err := e.receiveAndCheck(t, body)
	if err != nil || !strings.Contains(out, `ng refs/heads/bad path not allowed: "-rf.md"`) {
		t.Fatalf("%v\n%q", err, out)
	}
}

// TestReceiveInvalidRefNameRefused: ref names git's check-ref-format
// refuses are refused per ref.
func TestReceiveInvalidRefNameRefused(t *testing.T) {
	e := newRawEnv(t)
	zero := strings.Repeat("0", 40)
	for _, name := range []string{"refs/heads/a..b", "refs/heads/x.lock", "refs/heads/.hidden", "refs/tags/a b", "refs/heads/", "HEAD"} {
		body := rawPush(t, e.work, []string{zero + " " + e.rev + " " + name}, "report-status", e.rev, "^"+e.old)
		out, err := e.receiveAndCheck(t, body)
		if err != nil || !strings.Contains(out, "ng "+name+" ") {
			t.Fatalf("%s: %v\n%q", name, err, out)
		}
	}
}

// TestPushHarmfulNameRefusedWhileStreaming: a tree with a ".git" disguise
// is refused as soon as it arrives, before the blobs behind it in the
// pack; git still shows the reason.
func TestPushHarmfulNameRefusedWhileStreaming(t *testing.T) {
	e := newPushEnv(t, gitproto.ReceiveOptions{})
	head := strings.TrimSpace(runGit(t, e.work, "rev-parse", "origin/main"))
	files := map[string]string{".GIT./hooks": "x\n", "Home.md": "# Home\n"}
	for i := range 8 {
		files[fmt.Sprintf("big%d.bin", i)] = randomText(t, 1<<20)
	}
	rev := strings.TrimSpace(runGit(t, e.work, "commit-tree", makeTree(t, e.work, files), "-p", head, "-m", "harm"))
	out := e.mustRefuse("path not allowed", "origin", rev+":refs/heads/main")
	if !strings.Contains(out, `".GIT."`) {
		t.Fatalf("the reason does not name the entry:\n%s", out)
	}
}
