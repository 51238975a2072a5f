package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

func init() {
	addRows(
		row{key: "push_s", base: "push_git_s", ratio: "push_vs_git", goal: goal{key: "push_vs_git", op: "≤", limit: 1.5}},
		row{key: "push_server_rss_mib", goal: goal{key: "push_server_rss_mib", op: "≤", limit: 128}},
	)
}

// pushFigure measures the push figure: a generated history of b.o.commits
// commits with many versions of a few large files, pushed with the real
// git client into an empty wiki of warren and into an empty bare
// repository behind `git receive-pack --stateless-rpc` (a minimal Go
// handler), alternating, plus warren's peak memory. Round 0 warms both.
func (b *bench) pushFigure(ctx context.Context) error {
	src := filepath.Join(b.tmp, "push-src")
	if err := generateHeavyRepo(ctx, src, b.o.commits); err != nil {
		return err
	}
	slugs := []string{}
	for round := range b.o.rounds + 1 {
		slugs = append(slugs, fmt.Sprintf("push-%d", round))
	}
	args := append([]string{"wiki", "create", "--data", b.data, "--owner", benchUser, "--visibility", "public"}, slugs...)
	if err := b.warren(ctx, args...); err != nil {
		return err
	}
	srv, err := b.serve(ctx)
	if err != nil {
		return err
	}
	defer srv.stop()
	base := &gitReceiveBaseline{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: base}
	go hs.Serve(ln)
	defer hs.Close()
	times := [2][]float64{}
	for round, slug := range slugs {
		w, err := timedPush(ctx, src, "-c", "http.extraHeader=X-Forwarded-User: "+benchUser,
			"push", "-q", "--force", "http://"+srv.addr+"/"+slug+"/.git", "main:main")
		if err != nil {
			return err
		}
		if err := base.reset(ctx, filepath.Join(b.tmp, fmt.Sprintf("push-git-%d.git", round))); err != nil {
			return err
		}
		g, err := timedPush(ctx, src, "push", "-q", "--force", "http://"+ln.Addr().String()+"/", "main:main")
		if err != nil {
			return err
		}
		if round > 0 {
			times[0], times[1] = append(times[0], w), append(times[1], g)
		}
	}
	w, g := median(times[0]), median(times[1])
	b.figs["push_s"], b.figs["push_git_s"], b.figs["push_vs_git"] = w, g, w/g
	b.figs["push_server_rss_mib"] = srv.peakRSSMiB()
	return nil
}

// timedPush runs one git command in dir and returns its wall time.
func timedPush(ctx context.Context, dir string, args ...string) (float64, error) {
	t0 := time.Now()
	if err := git(ctx, dir, args...); err != nil {
		return 0, err
	}
	return time.Since(t0).Seconds(), nil
}

// Shape of the heavy history: every commit edits one of heavyPages small
// pages; every heavyEvery-th commit also rewrites a few lines of one of
// heavyFiles large files (half of them pages, half data files) of about
// heavyFileSize bytes, so the pack holds long delta chains of big objects.
const (
	heavyPages    = 200
	heavyFiles    = 8
	heavyEvery    = 3
	heavyFileSize = 512 << 10
)

// generateHeavyRepo builds the push figure's history with git fast-import.
func generateHeavyRepo(ctx context.Context, dir string, n int) error {
	return fastImport(ctx, dir, func(w *bufio.Writer) {
		writeHeavyHistory(w, n)
	})
}

// writeHeavyHistory writes n commits as a fast-import stream.
func writeHeavyHistory(w io.Writer, n int) {
	lines := heavyFileSize / 64
	big := make([][]string, heavyFiles)
	for f := range big {
		big[f] = make([]string, lines)
		for l := range big[f] {
			big[f][l] = fmt.Sprintf("file %d line %05d: the quick brown otter swims past the dam.\n", f, l)
		}
	}
	for i := 1; i <= n; i++ {
		msg := fmt.Sprintf("Edit %d", i)
		fmt.Fprintf(w, "commit refs/heads/main\ncommitter bench <bench@example.org> %d +0000\ndata %d\n%s\n", 1700000000+i*60, len(msg), msg)
		page := fmt.Sprintf("# Page %d\n\nEdited in commit %d.\n\nSee [[Page %d]].\n", i%heavyPages, i, (i+1)%heavyPages)
		fmt.Fprintf(w, "M 100644 inline \"Pages/Page %03d.md\"\ndata %d\n%s\n", i%heavyPages, len(page), page)
		if i%heavyEvery != 0 {
			continue
		}
		f := (i / heavyEvery) % heavyFiles
		for k := range 4 {
			l := (i*7 + k*131) % lines
			big[f][l] = fmt.Sprintf("file %d line %05d: edited in commit %d by the otters.\n", f, l, i)
		}
		text := strings.Join(big[f], "")
		fmt.Fprintf(w, "M 100644 inline %s\ndata %d\n%s\n", heavyFileName(f), len(text), text)
	}
}

// heavyFileName names large file f: even ones are pages, odd ones data.
func heavyFileName(f int) string {
	if f%2 == 0 {
		return fmt.Sprintf("Big/Log %d.md", f)
	}
	return fmt.Sprintf("Big/Log %d/data.csv", f)
}

// gitReceiveBaseline serves pushes with `git receive-pack --stateless-rpc`
// into one bare repository, the way git http-backend does, without CGI.
type gitReceiveBaseline struct {
	mu  sync.Mutex
	dir string
}

// reset points the baseline at a new empty bare repository.
func (g *gitReceiveBaseline) reset(ctx context.Context, dir string) error {
	if err := git(ctx, filepath.Dir(dir), "init", "-q", "--bare", "-b", "main", dir); err != nil {
		return err
	}
	g.mu.Lock()
	g.dir = dir
	g.mu.Unlock()
	return nil
}

func (g *gitReceiveBaseline) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	dir := g.dir
	g.mu.Unlock()
	switch {
	case r.URL.Path == "/info/refs" && r.URL.Query().Get("service") == "git-receive-pack":
		w.Header().Set("Content-Type", "application/x-git-receive-pack-advertisement")
		w.Header().Set("Cache-Control", "no-cache")
		io.WriteString(w, "001f# service=git-receive-pack\n0000")
		runReceivePack(w, nil, dir, "--advertise-refs")
	case r.URL.Path == "/git-receive-pack" && r.Method == "POST":
		body := io.Reader(r.Body)
		if r.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			body = zr
		}
		w.Header().Set("Content-Type", "application/x-git-receive-pack-result")
		w.Header().Set("Cache-Control", "no-cache")
		runReceivePack(w, body, dir)
	default:
		http.NotFound(w, r)
	}
}

// runReceivePack runs git receive-pack on dir with stdin and stdout.
func runReceivePack(w io.Writer, stdin io.Reader, dir string, extra ...string) {
	args := append([]string{"receive-pack", "--stateless-rpc"}, extra...)
	cmd := exec.Command("git", append(args, dir)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, w, os.Stderr
	cmd.SysProcAttr = childAttr()
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "baseline receive-pack:", err)
	}
}
