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
	"slices"
	"sync"
	"syscall"
	"time"
)

// cloneFigure measures figure 5: a full `git clone` of a generated
// 2,000-commit, 2,000-page wiki from warren and from `git upload-pack
// --stateless-rpc` behind a minimal Go handler, on the same repository,
// alternating, plus each server's peak memory.
func (b *bench) cloneFigure(ctx context.Context) error {
	src := filepath.Join(b.tmp, "gen")
	if err := generateRepo(ctx, src, b.o.commits); err != nil {
		return err
	}
	if err := b.warren(ctx, "wiki", "create", "--data", b.data, "--owner", benchUser, "--visibility", "public", "clone"); err != nil {
		return err
	}
	push, err := b.serve(ctx)
	if err != nil {
		return err
	}
	err = git(ctx, src, "-c", "http.extraHeader=X-Forwarded-User: "+benchUser,
		"push", "-q", "--force", "http://"+push.addr+"/clone/.git", "main:main")
	time.Sleep(2 * time.Second) // let a background repack after the push finish
	push.stop()
	if err != nil {
		return err
	}
	srv, err := b.serve(ctx)
	if err != nil {
		return err
	}
	defer srv.stop()
	base := &gitBaseline{dir: filepath.Join(b.data, "wikis", "clone", "repo.git")}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: base}
	go hs.Serve(ln)
	defer hs.Close()
	urls := []string{"http://" + srv.addr + "/clone/.git", "http://" + ln.Addr().String()}
	times := [2][]float64{}
	for round := range b.o.rounds + 1 {
		for i, u := range urls {
			dst := filepath.Join(b.tmp, fmt.Sprintf("clone-%d-%d", round, i))
			t0 := time.Now()
			if err := git(ctx, b.tmp, "clone", "-q", u, dst); err != nil {
				return fmt.Errorf("clone %s: %w", u, err)
			}
			if round > 0 { // round 0 warms caches for both
				times[i] = append(times[i], time.Since(t0).Seconds())
			}
			os.RemoveAll(dst)
		}
	}
	w, g := median(times[0]), median(times[1])
	b.figs["clone_s"], b.figs["clone_git_s"], b.figs["clone_vs_git"] = w, g, w/g
	b.figs["clone_server_rss_mib"] = srv.peakRSSMiB()
	b.figs["clone_git_rss_mib"] = base.peakRSSMiB()
	return nil
}

func median(xs []float64) float64 {
	slices.Sort(xs)
	return xs[len(xs)/2]
}

// git runs the git client with a neutral configuration.
func git(ctx context.Context, dir string, args ...string) error {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0",
		"GIT_AUTHOR_NAME=bench", "GIT_AUTHOR_EMAIL=bench@example.org",
		"GIT_COMMITTER_NAME=bench", "GIT_COMMITTER_EMAIL=bench@example.org")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("git %v: %v: %s", args, err, out)
	}
	return nil
}

// generateRepo builds a repository of n commits with git fast-import: each
// commit adds one page, and every tenth also edits a shared page, so the
// pack has history and deltas like a real wiki.
func generateRepo(ctx context.Context, dir string, n int) error {
	return fastImport(ctx, dir, func(w *bufio.Writer) {
		index := "# Index\n\n"
		for i := 1; i <= n; i++ {
			page := fmt.Sprintf("# Page %d\n\nThis is page %d of the generated wiki.\n\n| a | b |\n|---|---|\n| %d | %d |\n\nSee [[Page %d]].\n",
				i, i, i, i*i, i-1)
			fmt.Fprintf(w, "commit refs/heads/main\ncommitter bench <bench@example.org> %d +0000\n", 1700000000+i)
			msg := fmt.Sprintf("Add page %d", i)
			fmt.Fprintf(w, "data %d\n%s\n", len(msg), msg)
			fmt.Fprintf(w, "M 100644 inline \"Pages/Page %04d.md\"\ndata %d\n%s\n", i, len(page), page)
			if i%10 == 0 {
				index += fmt.Sprintf("- [[Page %d]]\n", i)
				fmt.Fprintf(w, "M 100644 inline Home.md\ndata %d\n%s\n", len(index), index)
			}
		}
	})
}

// fastImport makes dir a repository on main holding the history that
// write writes as a git fast-import stream, packed as git would.
func fastImport(ctx context.Context, dir string, write func(*bufio.Writer)) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := git(ctx, dir, "init", "-q", "-b", "main"); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "git", "fast-import", "--quiet")
	cmd.Dir = dir
	in, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	w := bufio.NewWriter(in)
	write(w)
	if err := w.Flush(); err != nil {
		return err
	}
	in.Close()
	if err := cmd.Wait(); err != nil {
		return err
	}
	return git(ctx, dir, "repack", "-adq")
}

// gitBaseline serves smart HTTP with `git upload-pack --stateless-rpc`,
// the way git http-backend does, without CGI.
type gitBaseline struct {
	dir    string
	mu     sync.Mutex
	maxRSS int64 // KiB, largest child seen
}

func (g *gitBaseline) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/info/refs" && r.URL.Query().Get("service") == "git-upload-pack":
		w.Header().Set("Content-Type", "application/x-git-upload-pack-advertisement")
		w.Header().Set("Cache-Control", "no-cache")
		io.WriteString(w, "001e# service=git-upload-pack\n0000")
		g.run(w, nil, "--advertise-refs")
	case r.URL.Path == "/git-upload-pack" && r.Method == "POST":
		body := io.Reader(r.Body)
		if r.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(r.Body)
			if err != nil {
				http.Error(w, err.Error(), 400)
				return
			}
			body = zr
		}
		w.Header().Set("Content-Type", "application/x-git-upload-pack-result")
		w.Header().Set("Cache-Control", "no-cache")
		g.run(w, body)
	default:
		http.NotFound(w, r)
	}
}

func (g *gitBaseline) run(w io.Writer, stdin io.Reader, extra ...string) {
	args := append([]string{"upload-pack", "--stateless-rpc"}, extra...)
	cmd := exec.Command("git", append(args, g.dir)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, w, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "baseline upload-pack:", err)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		g.mu.Lock()
		g.maxRSS = max(g.maxRSS, ru.Maxrss)
		g.mu.Unlock()
	}
}

func (g *gitBaseline) peakRSSMiB() float64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return float64(g.maxRSS) / 1024
}
