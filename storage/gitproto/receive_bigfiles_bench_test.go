package gitproto_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/storage/gitproto"
	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/internal/storetest"
)

// bigFilesRepo generates a bare repository of commits commits in the shape
// of a real imported wiki whose history is heavy: each commit edits one of
// 200 small pages, and every third commit also rewrites a few lines of one
// of bigFiles large files (about size bytes each), so the pack holds long
// delta chains of large objects, as repositories with many versions of a
// big page or data file do.
func bigFilesRepo(tb testing.TB, commits, bigFiles, size int) string {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "repo.git")
	runGit(tb, tb.TempDir(), "init", "-q", "--bare", "-b", "main", dir)
	var s strings.Builder
	lines := size / 64
	big := make([][]string, bigFiles)
	for f := range big {
		big[f] = make([]string, lines)
		for l := range big[f] {
			big[f][l] = fmt.Sprintf("file %d line %05d: the quick brown otter jumps over the dam.\n", f, l)
		}
	}
	for i := range commits {
		msg := fmt.Sprintf("commit %d", i)
		fmt.Fprintf(&s, "commit refs/heads/main\nmark :%d\ncommitter Bench <bench@example.com> %d +0000\ndata %d\n%s\n",
			i+1, 1700000000+i*60, len(msg), msg)
		if i > 0 {
			fmt.Fprintf(&s, "from :%d\n", i)
		}
		page := fmt.Sprintf("Page %d\n\nEdited in commit %d.\n", i%200, i)
		fmt.Fprintf(&s, "M 100644 inline pages/Page-%03d.md\ndata %d\n%s\n", i%200, len(page), page)
		if i%3 == 0 {
			f := (i / 3) % bigFiles
			for k := range 4 {
				l := (i*7 + k*131) % lines
				big[f][l] = fmt.Sprintf("file %d line %05d: edited in commit %d by the otters.\n", f, l, i)
			}
			text := strings.Join(big[f], "")
			fmt.Fprintf(&s, "M 100644 inline data/big-%d.md\ndata %d\n%s\n", f, len(text), text)
		}
	}
	runGitStdin(tb, dir, s.String(), "fast-import", "--quiet")
	runGit(tb, dir, "repack", "-adq")
	return dir
}

// flatWikiRepo generates a GitHub-wiki-shaped history: pages pages in the
// root tree (the first commit adds them all), then commits edits of one
// page each.
func flatWikiRepo(tb testing.TB, commits, pages int) string {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "repo.git")
	runGit(tb, tb.TempDir(), "init", "-q", "--bare", "-b", "main", dir)
	var s strings.Builder
	for i := range commits {
		msg := fmt.Sprintf("commit %d", i)
		fmt.Fprintf(&s, "commit refs/heads/main\nmark :%d\ncommitter Bench <bench@example.com> %d +0000\ndata %d\n%s\n",
			i+1, 1700000000+i*60, len(msg), msg)
		if i > 0 {
			fmt.Fprintf(&s, "from :%d\n", i)
		}
		if i == 0 {
			for p := range pages {
				page := fmt.Sprintf("# Page %d\n\nFirst text.\n", p)
				fmt.Fprintf(&s, "M 100644 inline Some-Rather-Long-Page-Name-%05d.md\ndata %d\n%s\n", p, len(page), page)
			}
			continue
		}
		page := fmt.Sprintf("# Page %d\n\nEdited in commit %d.\n", i%pages, i)
		fmt.Fprintf(&s, "M 100644 inline Some-Rather-Long-Page-Name-%05d.md\ndata %d\n%s\n", (i*7919)%pages, len(page), page)
	}
	runGitStdin(tb, dir, s.String(), "fast-import", "--quiet")
	runGit(tb, dir, "repack", "-adq")
	return dir
}

// BenchmarkReceiveHistory measures the server's side of importing a whole
// history into an empty repository: ReceivePack on a request body made
// once, against `git receive-pack --stateless-rpc` on the same body (git's
// index-pack and connectivity check). Shapes: a GitHub-style flat wiki
// whose root holds 5,000 pages (each commit rewrites the big root tree),
// and many versions of a few large files.
func BenchmarkReceiveHistory(b *testing.B) {
	shapes := []struct {
		name string
		src  func(tb testing.TB) string
	}{
		{"flat-2000", func(tb testing.TB) string { return flatWikiRepo(tb, 2000, 5000) }},
		{"flat-4000", func(tb testing.TB) string { return flatWikiRepo(tb, 4000, 5000) }},
		{"bigfiles-2000", func(tb testing.TB) string { return bigFilesRepo(tb, 2000, 6, 512<<10) }},
	}
	for _, sh := range shapes {
		src := sh.src(b)
		tip := strings.TrimSpace(runGit(b, src, "rev-parse", "main"))
		pack := rawPush(b, src, nil, "", tip)[len("0000"):]
		body := func(old string) []byte {
			return append(rawPush(b, src, []string{old + " " + tip + " refs/heads/main"}, "report-status"), pack...)
		}
		b.Run(sh.name+"/warren", func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				repo := storetest.MustInitRepo(b, map[string]string{"Home.md": "# Home\n"})
				req := body(mustRef(b, repo))
				b.StartTimer()
				if out, err := receive(b, repo, req, gitproto.ReceiveOptions{CanForce: true}); err != nil || !strings.Contains(out, "ok refs/heads/main") {
					b.Fatalf("%v %q", err, out)
				}
			}
		})
		b.Run(sh.name+"/git", func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				dir := filepath.Join(b.TempDir(), "repo.git")
				runGit(b, b.TempDir(), "init", "-q", "--bare", "-b", "main", dir)
				req := string(body(strings.Repeat("0", 40)))
				b.StartTimer()
				if out := runGitStdin(b, dir, req, "receive-pack", "--stateless-rpc", dir); !strings.Contains(out, "ok refs/heads/main") {
					b.Fatalf("%q", out)
				}
			}
		})
	}
}

// mustRef is the id main points at in repo.
func mustRef(tb testing.TB, repo *gitrepo.Repo) string {
	tb.Helper()
	refs, err := repo.Refs(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return refs["refs/heads/main"]
}
