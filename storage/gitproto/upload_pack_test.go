package gitproto_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/warren-wiki/warren/storage/gitproto"
	"github.com/warren-wiki/warren/storage/internal/storetest"
)

// getInfoRefs fetches the advertisement for service with extra headers.
func getInfoRefs(t *testing.T, url, service string, header map[string]string) (*http.Response, []string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url+"/info/refs?service="+service, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, readPkts(t, body)
}

func TestInfoRefsUploadPack(t *testing.T) {
	dir := mustHistoryRepo(t, 3, 5)
	runGit(t, dir, "tag", "-a", "-m", "release", "v1", "main")
	runGit(t, dir, "tag", "light", "main~1")
	runGit(t, dir, "pack-refs", "--all")
	head := strings.TrimSpace(runGit(t, dir, "rev-parse", "main"))
	tag := strings.TrimSpace(runGit(t, dir, "rev-parse", "v1"))
	url := serveDir(t, dir)

	resp, lines := getInfoRefs(t, url, "git-upload-pack", nil)
	if ct := resp.Header.Get("Content-Type"); ct != "application/x-git-upload-pack-advertisement" {
		t.Errorf("content type %q", ct)
	}
	if len(lines) < 7 || lines[0] != "# service=git-upload-pack" || lines[1] != "" || lines[len(lines)-1] != "" {
		t.Fatalf("advertisement framing wrong: %q", lines)
	}
	first, caps, ok := strings.Cut(lines[2], "\x00")
	if !ok || first != head+" HEAD" {
		t.Fatalf("first ref line %q, want HEAD with capabilities", lines[2])
	}
	for _, c := range []string{"multi_ack_detailed", "no-done", "side-band-64k", "thin-pack", "ofs-delta", "shallow",
		"deepen-since", "deepen-not", "deepen-relative", "include-tag", "allow-reachable-sha1-in-want",
		"symref=HEAD:refs/heads/main", "agent=warren/"} {
		if !strings.Contains(" "+caps, " "+c) {
			t.Errorf("capability %q missing from %q", c, caps)
		}
	}
	want := []string{
		head + " refs/heads/main",
		strings.TrimSpace(runGit(t, dir, "rev-parse", "light")) + " refs/tags/light",
		tag + " refs/tags/v1",
		head + " refs/tags/v1^{}",
	}
	if got := lines[3 : len(lines)-1]; strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("refs:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestInfoRefsReceivePack(t *testing.T) {
	dir := mustHistoryRepo(t, 2, 3)
	runGit(t, dir, "tag", "-a", "-m", "release", "v1", "main")
	url := serveDir(t, dir)
	resp, lines := getInfoRefs(t, url, "git-receive-pack", nil)
	if ct := resp.Header.Get("Content-Type"); ct != "application/x-git-receive-pack-advertisement" {
		t.Errorf("content type %q", ct)
	}
	if len(lines) != 5 || lines[0] != "# service=git-receive-pack" || lines[1] != "" || lines[4] != "" {
		t.Fatalf("advertisement %q", lines)
	}
	first, caps, _ := strings.Cut(lines[2], "\x00")
	if !strings.HasSuffix(first, " refs/heads/main") {
		t.Errorf("receive-pack must not advertise HEAD first: %q", first)
	}
	for _, c := range gitproto.ReceivePackCapabilities {
		if !strings.Contains(" "+caps+" ", " "+c+" ") {
			t.Errorf("capability %q missing from %q", c, caps)
		}
	}
	if strings.Contains(lines[3], "^{}") || strings.Contains(caps, "symref") {
		t.Errorf("receive-pack advertisement has fetch-only parts: %q", lines)
	}
}

// TestInfoRefsProtocolV2FallsBack: git 2.39 asks for v2 with a header; the
// answer is v0 and every later request works in v0.
func TestInfoRefsProtocolV2FallsBack(t *testing.T) {
	dir := mustHistoryRepo(t, 3, 5, "repack", "-adq")
	var sawV2 atomic.Bool
	url := serveGitObserved(t, storetest.MustOpenRepo(t, dir), gitproto.ReceiveOptions{}, func(r *http.Request) {
		if strings.Contains(r.Header.Get("Git-Protocol"), "version=2") {
			sawV2.Store(true)
		}
	})
	_, lines := getInfoRefs(t, url, "git-upload-pack", map[string]string{"Git-Protocol": "version=2"})
	if len(lines) < 3 || lines[0] != "# service=git-upload-pack" || strings.HasPrefix(lines[2], "version 2") {
		t.Fatalf("v2 request not answered in v0: %q", lines)
	}
	work := filepath.Join(t.TempDir(), "clone")
	runGit(t, ".", "clone", "-q", url, work)
	if !sawV2.Load() {
		t.Error("the client never asked for v2; the fallback was not exercised")
	}
	if got := runGit(t, work, "rev-list", "--count", "HEAD"); strings.TrimSpace(got) != "3" {
		t.Errorf("clone has %s commits", got)
	}
}

func TestCloneEmptyRepo(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "empty.git")
	runGit(t, ".", "init", "-q", "--bare", "-b", "main", dir)
	url := serveDir(t, dir)
	_, lines := getInfoRefs(t, url, "git-upload-pack", nil)
	if len(lines) != 4 || !strings.HasPrefix(lines[2], strings.Repeat("0", 40)+" capabilities^{}\x00") {
		t.Fatalf("empty advertisement %q", lines)
	}
	work := filepath.Join(t.TempDir(), "clone")
	out := runGit(t, ".", "clone", url, work)
	if !strings.Contains(out, "empty repository") {
		t.Errorf("clone output %q", out)
	}
	if _, err := runGitErr(t, work, nil, "rev-parse", "--verify", "HEAD"); err == nil {
		t.Error("clone of an empty repository has a HEAD commit")
	}
}

func TestCloneLarge(t *testing.T) {
	dir := mustHistoryRepo(t, 2000, 2000, "repack", "-adq")
	url := serveDir(t, dir)
	work := filepath.Join(t.TempDir(), "clone")
	runGit(t, ".", "clone", "-q", "--bare", url, work)
	if got, want := runGit(t, work, "rev-parse", "main"), runGit(t, dir, "rev-parse", "main"); got != want {
		t.Fatalf("clone main %s, server %s", got, want)
	}
	got := runGit(t, work, "count-objects", "-v")
	want := strings.TrimSpace(runGit(t, dir, "rev-list", "--objects", "--all", "--count"))
	if !strings.Contains(got, "in-pack: "+want+"\n") {
		t.Errorf("clone holds %q, want in-pack %s", got, want)
	}
	mustFsck(t, work)
}

// TestCloneSideBandProgress: progress arrives on band 2 and git shows it.
func TestCloneSideBandProgress(t *testing.T) {
	dir := mustHistoryRepo(t, 20, 30, "repack", "-adq")
	url := serveDir(t, dir)
	out := runGit(t, ".", "clone", "--progress", url, filepath.Join(t.TempDir(), "clone"))
	for _, want := range []string{"remote: Enumerating objects: ", "remote: Total "} {
		if !strings.Contains(out, want) {
			t.Errorf("progress %q missing from:\n%s", want, out)
		}
	}
}

// TestFetchManyLocalCommits: a client with 40 commits of its own pulls 5
// new server commits. git negotiates over several stateless rounds (its
// first rounds are all unknown to the server), and the pack holds exactly
// the objects the client lacks.
func TestFetchManyLocalCommits(t *testing.T) {
	dir := mustHistoryRepo(t, 200, 100, "repack", "-adq")
	var uploads atomic.Int32
	url := serveGitObserved(t, storetest.MustOpenRepo(t, dir), gitproto.ReceiveOptions{}, func(r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/git-upload-pack") {
			uploads.Add(1)
		}
	})
	work := filepath.Join(t.TempDir(), "clone")
	runGit(t, ".", "clone", "-q", url, work)
	base := strings.TrimSpace(runGit(t, work, "rev-parse", "HEAD"))
	for i := 0; i < 40; i++ {
		runGit(t, work, "commit", "-q", "--allow-empty", "-m", "local work")
	}
	tip := commitInBare(t, dir, 5, "server")
	uploads.Store(0)

	out := runGit(t, work, "-c", "fetch.unpackLimit=1", "pull", "--progress", "--no-rebase", "--no-edit", "origin", "main")
	if uploads.Load() < 2 {
		t.Errorf("negotiation took %d upload-pack requests, want several rounds", uploads.Load())
	}
	missing := strings.Count(runGit(t, dir, "rev-list", "--objects", tip, "^"+base), "\n")
	if got := objectsReceived(out); got != missing {
		t.Errorf("received %d objects, the client lacked %d\n%s", got, missing, out)
	}
	if strings.Contains(out, "no common commits") {
		t.Errorf("negotiation found nothing in common:\n%s", out)
	}
	runGit(t, work, "merge-base", "--is-ancestor", tip, "HEAD")
	mustFsck(t, work)
}

// TestFetchAnnotatedTagAutoFollow: a tag on a fetched commit arrives with
// the plain fetch (include-tag), not by a second request.
func TestFetchAnnotatedTagAutoFollow(t *testing.T) {
	dir := mustHistoryRepo(t, 10, 10, "repack", "-adq")
	var uploads atomic.Int32
	url := serveGitObserved(t, storetest.MustOpenRepo(t, dir), gitproto.ReceiveOptions{}, func(r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/git-upload-pack") {
			uploads.Add(1)
		}
	})
	work := filepath.Join(t.TempDir(), "clone")
	runGit(t, ".", "clone", "-q", url, work)
	tip := commitInBare(t, dir, 1, "tagged")
	runGit(t, dir, "tag", "-a", "-m", "release one", "v1.0", tip)
	uploads.Store(0)
	runGit(t, work, "fetch", "-q", "origin")
	if typ := strings.TrimSpace(runGit(t, work, "cat-file", "-t", "v1.0")); typ != "tag" {
		t.Fatalf("v1.0 is a %q on the client", typ)
	}
	if got := strings.TrimSpace(runGit(t, work, "rev-parse", "v1.0^{commit}")); got != tip {
		t.Errorf("v1.0 points at %s, want %s", got, tip)
	}
	if uploads.Load() != 1 {
		t.Errorf("fetch took %d upload-pack requests; include-tag should make it one", uploads.Load())
	}
}

// TestCloneGzipRequestBody: with many refs git gzips its want list.
func TestCloneGzipRequestBody(t *testing.T) {
	dir := mustHistoryRepo(t, 60, 20, "repack", "-adq")
	for i := 0; i < 50; i++ {
		runGit(t, dir, "branch", fmt.Sprintf("topic-%02d", i), fmt.Sprintf("main~%d", i))
	}
	var gz atomic.Int32
	url := serveGitObserved(t, storetest.MustOpenRepo(t, dir), gitproto.ReceiveOptions{}, func(r *http.Request) {
		if r.Header.Get("Content-Encoding") == "gzip" {
			gz.Add(1)
		}
	})
	work := filepath.Join(t.TempDir(), "clone")
	runGit(t, ".", "clone", "-q", "--mirror", url, work)
	if gz.Load() == 0 {
		t.Fatal("git sent no gzip request body; the test did not exercise gzip")
	}
	if a, b := runGit(t, work, "for-each-ref"), runGit(t, dir, "for-each-ref"); a != b {
		t.Errorf("mirror refs differ:\n%s\nvs\n%s", a, b)
	}

	// The same by hand: a gzip body is decoded before parsing.
	head := strings.TrimSpace(runGit(t, dir, "rev-parse", "main"))
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	zw.Write(pkt("want "+head+" ofs-delta\n", "", "done\n"))
	zw.Close()
	st, body := postUpload(t, url, zb.Bytes(), map[string]string{"Content-Encoding": "gzip"})
	if st != 200 || !bytes.Contains(body, []byte("NAK\n")) || !bytes.Contains(body, []byte("PACK")) {
		t.Errorf("gzip request: %d %q", st, clipBody(body))
	}
}

// TestCloneConcurrent: several clones at once share nothing mutable.
func TestCloneConcurrent(t *testing.T) {
	dir := mustHistoryRepo(t, 100, 50, "repack", "-adq")
	url := serveDir(t, dir)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work := filepath.Join(t.TempDir(), "clone")
			if out, err := runGitErr(t, ".", nil, "clone", "-q", "--bare", url, work); err != nil {
				t.Errorf("clone: %v\n%s", err, out)
			}
		}()
	}
	wg.Wait()
}

func clipBody(b []byte) []byte {
	if len(b) > 200 {
		return b[:200]
	}
	return b
}
