package gitproto_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/storage/gitproto"
	"github.com/warren-wiki/warren/storage/internal/storetest"
)

// mustHistoryRepo builds a bare repository with git fast-import: `commits`
// commits on main over `files` files in 40 directories. The first commit
// adds every file, each later one edits a few lines of three files (so the
// packed history is mostly deltas, like a real wiki's). repack is passed
// to `git` afterwards (e.g. "repack", "-adq"); nil leaves it as imported.
func mustHistoryRepo(tb testing.TB, commits, files int, repack ...string) string {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "repo.git")
	runGit(tb, ".", "init", "-q", "--bare", "-b", "main", dir)
	var stream bytes.Buffer
	writeHistory(&stream, commits, files)
	cmd := gitCommand(tb, dir, "fast-import", "--quiet")
	cmd.Stdin = &stream
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("fast-import: %v\n%s", err, out)
	}
	if len(repack) > 0 {
		runGit(tb, dir, repack...)
	}
	return dir
}

// writeHistory writes a deterministic fast-import stream.
func writeHistory(w *bytes.Buffer, commits, files int) {
	rnd := uint64(42)
	next := func(n int) int {
		rnd = rnd*6364136223846793005 + 1442695040888963407
		return int((rnd >> 33) % uint64(n))
	}
	version := make([]int, files)
	path := func(i int) string { return fmt.Sprintf("dir%02d/page-%04d.md", i%40, i) }
	content := func(i int) string {
		var b strings.Builder
		fmt.Fprintf(&b, "# Page %d\n\n", i)
		for l := 0; l < 30; l++ {
			v := 0
			if l == version[i]%30 {
				v = version[i]
			}
			fmt.Fprintf(&b, "Line %d of page %d says something about otters, revision %d.\n", l, i, v)
		}
		return b.String()
	}
	when := int64(1700000000)
	for c := 0; c < commits; c++ {
		var changed []int
		if c == 0 {
			for i := 0; i < files; i++ {
				changed = append(changed, i)
			}
		} else {
			for k := 0; k < 3; k++ {
				i := next(files)
				version[i]++
				changed = append(changed, i)
			}
		}
		msg := fmt.Sprintf("commit %d\n", c)
		fmt.Fprintf(w, "commit refs/heads/main\ncommitter Gen <gen@example.com> %d +0000\ndata %d\n%s", when+int64(c)*60, len(msg), msg)
		for _, i := range changed {
			body := content(i)
			fmt.Fprintf(w, "M 100644 inline %s\ndata %d\n%s\n", path(i), len(body), body)
		}
		w.WriteString("\n")
	}
}

// serveDir serves the bare repository dir and returns its URL.
func serveDir(tb testing.TB, dir string) string {
	tb.Helper()
	return MustServeGit(tb, storetest.MustOpenRepo(tb, dir), gitproto.ReceiveOptions{})
}

// commitInBare adds commits to a bare repository from a scratch clone
// (over the file system, not warren), each writing one file, and returns
// the new tip.
func commitInBare(tb testing.TB, bare string, n int, prefix string) string {
	tb.Helper()
	work := filepath.Join(tb.TempDir(), "work")
	runGit(tb, ".", "clone", "-q", bare, work)
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("%s-%d.md", prefix, i)
		if err := os.WriteFile(filepath.Join(work, name), []byte("# "+name+"\n"), 0o644); err != nil {
			tb.Fatal(err)
		}
		runGit(tb, work, "add", name)
		runGit(tb, work, "commit", "-q", "-m", "add "+name)
	}
	runGit(tb, work, "push", "-q", "origin", "HEAD:main")
	return strings.TrimSpace(runGit(tb, work, "rev-parse", "HEAD"))
}

var (
	receivedRe    = regexp.MustCompile(`(?:Receiving|Unpacking) objects: 100% \((\d+)/\d+\)`)
	remoteTotalRe = regexp.MustCompile(`remote: Total (\d+) `)
)

// objectsReceived reads how many objects git says it received from its
// --progress output (-1 if it received no pack).
func objectsReceived(out string) int { return lastNumber(receivedRe, out) }

// remoteTotal reads the object count of the pack from warren's closing
// progress line, as git relays it.
func remoteTotal(out string) int { return lastNumber(remoteTotalRe, out) }

func lastNumber(re *regexp.Regexp, out string) int {
	m := re.FindAllStringSubmatch(out, -1)
	if len(m) == 0 {
		return -1
	}
	n, _ := strconv.Atoi(m[len(m)-1][1])
	return n
}

// pkt frames lines as pkt-lines; "" is a flush.
func pkt(lines ...string) []byte {
	var b bytes.Buffer
	for _, l := range lines {
		if l == "" {
			b.WriteString("0000")
			continue
		}
		fmt.Fprintf(&b, "%04x%s", len(l)+4, l)
	}
	return b.Bytes()
}

// postUpload sends a raw upload-pack request and returns status and body.
func postUpload(tb testing.TB, url string, body []byte, header map[string]string) (int, []byte) {
	tb.Helper()
	req, err := http.NewRequest("POST", url+"/git-upload-pack", bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-git-upload-pack-request")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return resp.StatusCode, b
}

// readPkts splits a response into its pkt-lines until the first PACK or
// side-band data; flushes are returned as "".
func readPkts(tb testing.TB, body []byte) []string {
	tb.Helper()
	var out []string
	r := bufio.NewReader(bytes.NewReader(body))
	for {
		var hdr [4]byte
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return out
		}
		if string(hdr[:]) == "PACK" {
			return append(out, "PACK")
		}
		n, err := strconv.ParseUint(string(hdr[:]), 16, 16)
		if err != nil {
			tb.Fatalf("bad pkt-line header %q in %q", hdr, body)
		}
		if n == 0 {
			out = append(out, "")
			continue
		}
		line := make([]byte, n-4)
		if _, err := io.ReadFull(r, line); err != nil {
			tb.Fatalf("short pkt-line in %q", body)
		}
		out = append(out, strings.TrimSuffix(string(line), "\n"))
	}
}

// mustFsck runs git fsck --full in dir and fails on any error.
func mustFsck(tb testing.TB, dir string) {
	tb.Helper()
	runGit(tb, dir, "fsck", "--full", "--no-dangling")
}
