package gitproto_test

import (
	"bytes"
	"context"
	"crypto/sha1"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/warren-wiki/warren/storage/gitproto"
	"github.com/warren-wiki/warren/storage/gitrepo"
)

// BenchmarkPushSmallEdit measures a push of a one-line edit to a wiki of
// 2,000 commits over 200 pages, with git's default thin pack (the edit is
// a delta against the server's copy, which receive-pack completes) and with
// no-thin advertised (the whole page is sent). Wall time includes git's own pack-objects; the
// pushed-bytes metric is the pack git wrote.
func BenchmarkPushSmallEdit(b *testing.B) {
	for _, mode := range []string{"thin", "no-thin"} {
		b.Run(mode, func(b *testing.B) {
			repo, err := gitrepo.OpenRepo(pushBenchRepo(b, 2000, 200))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { repo.Close() })
			url := MustServeGit(b, repo, gitproto.ReceiveOptions{})
			work := filepath.Join(b.TempDir(), "work")
			runGit(b, b.TempDir(), "clone", "-q", url, work)
			args := []string{"push", "--progress", "origin", "main"}
			if mode == "no-thin" {
				// git ignores --no-thin over smart HTTP; the advertisement
				// is what turns thin packs off.
				saved := gitproto.ReceivePackCapabilities
				gitproto.ReceivePackCapabilities = append(slices.Clone(saved), "no-thin")
				b.Cleanup(func() { gitproto.ReceivePackCapabilities = saved })
			}
			var pushed, thin int64
			b.ResetTimer()
			for i := range b.N {
				b.StopTimer()
				page := filepath.Join(work, "pages", fmt.Sprintf("Page-%03d.md", i%200))
				old, err := os.ReadFile(page)
				if err != nil {
					b.Fatal(err)
				}
				commitIn(b, work, map[string]string{"pages/" + filepath.Base(page): string(old) + "one more line\n"}, "edit")
				b.StartTimer()
				out := runGit(b, work, args...)
				pushed += pushedBytes(b, out)
				if strings.Contains(out, "completed with") {
					thin++
				}
			}
			b.ReportMetric(float64(pushed)/float64(b.N), "pushed-B/op")
			b.ReportMetric(float64(thin)/float64(b.N), "thin/op")
		})
	}
}

var writingObjects = regexp.MustCompile(`Writing objects: 100% \(\d+/\d+\), ([\d.]+) (bytes|KiB|MiB)`)

// pushedBytes reads the pack size from git push's progress output.
func pushedBytes(tb testing.TB, out string) int64 {
	m := writingObjects.FindStringSubmatch(out)
	if m == nil {
		tb.Fatalf("no pack size in:\n%s", out)
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	switch m[2] {
	case "KiB":
		v *= 1 << 10
	case "MiB":
		v *= 1 << 20
	}
	return int64(v)
}

// pushBenchRepo generates a bare repository of commits commits, each
// editing one of pages pages (about 3 KiB each), with git fast-import.
func pushBenchRepo(tb testing.TB, commits, pages int) string {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "repo.git")
	runGit(tb, tb.TempDir(), "init", "-q", "--bare", "-b", "main", dir)
	var s strings.Builder
	content := make([][]string, pages)
	for i := range commits {
		p := i % pages
		content[p] = append(content[p], fmt.Sprintf("Line %d of page %d: otters %x.\n", i, p, sha1.Sum([]byte{byte(i), byte(i >> 8)})))
		if len(content[p]) > 60 {
			content[p] = content[p][1:]
		}
		text := strings.Join(content[p], "")
		msg := fmt.Sprintf("edit page %d", p)
		fmt.Fprintf(&s, "commit refs/heads/main\nmark :%d\ncommitter Bench <bench@example.com> %d +0000\ndata %d\n%s\n",
			i+1, 1700000000+i*60, len(msg), msg)
		if i > 0 {
			fmt.Fprintf(&s, "from :%d\n", i)
		}
		fmt.Fprintf(&s, "M 100644 inline pages/Page-%03d.md\ndata %d\n%s\n", p, len(text), text)
	}
	runGitStdin(tb, dir, s.String(), "fast-import", "--quiet")
	runGit(tb, dir, "repack", "-adq")
	return dir
}

// BenchmarkReceiveSmallEdit measures the server's side alone: ReceivePack
// on a one-line edit to the 2,000-commit wiki, the pack made by git
// pack-objects either thin (a delta the server completes from the
// repository) or whole.
func BenchmarkReceiveSmallEdit(b *testing.B) {
	for _, mode := range []string{"thin", "whole"} {
		b.Run(mode, func(b *testing.B) {
			repo, err := gitrepo.OpenRepo(pushBenchRepo(b, 2000, 200))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { repo.Close() })
			work := filepath.Join(b.TempDir(), "work")
			runGit(b, b.TempDir(), "clone", "-q", repo.Dir(), work)
			var lock sync.Mutex
			b.ResetTimer()
			for i := range b.N {
				b.StopTimer()
				old := strings.TrimSpace(runGit(b, work, "rev-parse", "HEAD"))
				page := fmt.Sprintf("pages/Page-%03d.md", i%200)
				content, err := os.ReadFile(filepath.Join(work, page))
				if err != nil {
					b.Fatal(err)
				}
				rev := commitIn(b, work, map[string]string{page: string(content) + "one more line\n"}, "edit")
				packArgs := []string{"pack-objects", "--stdout", "--revs", "-q"}
				if mode == "thin" {
					packArgs = append(packArgs, "--thin")
				}
				pack := runGitStdin(b, work, rev+"\n^"+old+"\n", packArgs...)
				cmd := old + " " + rev + " refs/heads/main\x00report-status"
				body := fmt.Sprintf("%04x%s\n0000%s", len(cmd)+5, cmd, pack)
				var out bytes.Buffer
				b.StartTimer()
				err = gitproto.ReceivePack(context.Background(), repo, &lock, strings.NewReader(body), &out, gitproto.ReceiveOptions{})
				if err != nil || !strings.Contains(out.String(), "ok refs/heads/main") {
					b.Fatalf("%v %q", err, out.String())
				}
			}
		})
	}
}

// BenchmarkPushWholeHistory measures an admin's force-push of a whole
// 2,000-commit history (about 4,000 objects) into a wiki: the initial
// import of an existing wiki. Every commit and tree is checked.
func BenchmarkPushWholeHistory(b *testing.B) {
	src := pushBenchRepo(b, 2000, 200)
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		e := newPushEnv(b, gitproto.ReceiveOptions{CanForce: true})
		b.StartTimer()
		runGit(b, src, "push", "-q", "--force", e.url, "main")
	}
}
