package gitproto_test

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/warren-wiki/warren/storage/gitproto"
	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/wiki"
)

// MustServeGit serves repo over git smart HTTP (protocol v0, stateless-rpc)
// on a loopback httptest server and returns its URL, so that the real git
// client can clone, fetch and push it: `git clone <url>`. It is the minimal
// glue web/git.go also does (gunzip, the "0000" probe, content types),
// without authentication; pushes take one sync.Mutex as the write lock.
func MustServeGit(tb testing.TB, repo *gitrepo.Repo, opt gitproto.ReceiveOptions) (url string) {
	tb.Helper()
	return serveGitObserved(tb, repo, opt, nil)
}

// serveGitObserved is MustServeGit calling observe (if not nil) with every
// request before it is served, so tests can count negotiation rounds or
// see request headers.
func serveGitObserved(tb testing.TB, repo *gitrepo.Repo, opt gitproto.ReceiveOptions, observe func(*http.Request)) string {
	tb.Helper()
	var lock sync.Mutex
	mux := http.NewServeMux()
	mux.HandleFunc("GET /info/refs", func(w http.ResponseWriter, r *http.Request) {
		service := r.URL.Query().Get("service")
		if service != "git-upload-pack" && service != "git-receive-pack" {
			http.Error(w, "dumb HTTP is not supported", http.StatusForbidden)
			return
		}
		w.Header().Set("Content-Type", "application/x-"+service+"-advertisement")
		w.Header().Set("Cache-Control", "no-cache")
		serveGitStream(tb, w, func(out io.Writer) error {
			return gitproto.AdvertiseRefs(r.Context(), repo, service, out)
		})
	})
	mux.HandleFunc("POST /git-upload-pack", func(w http.ResponseWriter, r *http.Request) {
		serveGitRPC(tb, w, r, "git-upload-pack", func(ctx context.Context, body io.Reader, out io.Writer) error {
			return gitproto.UploadPack(ctx, repo, body, out, gitproto.UploadOptions{})
		})
	})
	mux.HandleFunc("POST /git-receive-pack", func(w http.ResponseWriter, r *http.Request) {
		serveGitRPC(tb, w, r, "git-receive-pack", func(ctx context.Context, body io.Reader, out io.Writer) error {
			return gitproto.ReceivePack(ctx, repo, &lock, body, out, opt)
		})
	})
	var h http.Handler = mux
	if observe != nil {
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			observe(r)
			mux.ServeHTTP(w, r)
		})
	}
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	return srv.URL
}

// serveGitRPC decodes a POST body (gzip, the "0000" probe) and runs one
// service call with the result content type.
func serveGitRPC(tb testing.TB, w http.ResponseWriter, r *http.Request, service string,
	call func(ctx context.Context, body io.Reader, out io.Writer) error) {
	var body io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			http.Error(w, "bad gzip body: "+err.Error(), http.StatusBadRequest)
			return
		}
		defer zr.Close()
		body = zr
	}
	br := bufio.NewReader(body)
	if head, err := br.Peek(5); len(head) == 4 && string(head) == "0000" && errors.Is(err, io.EOF) {
		w.WriteHeader(http.StatusOK) // remote-curl's probe before a chunked push
		return
	}
	w.Header().Set("Content-Type", "application/x-"+service+"-result")
	w.Header().Set("Cache-Control", "no-cache")
	serveGitStream(tb, w, func(out io.Writer) error { return call(r.Context(), br, out) })
}

// serveGitStream runs fn with a writer that flushes every write; an error
// before the first byte becomes an HTTP status, a later one only a log line
// (the protocol already carried it, or the client sees a cut stream).
func serveGitStream(tb testing.TB, w http.ResponseWriter, fn func(out io.Writer) error) {
	fw := &flushWriter{w: w}
	err := fn(fw)
	if err == nil {
		return
	}
	if fw.n == 0 {
		st := http.StatusInternalServerError
		switch wiki.ErrorCode(err) {
		case wiki.EINVALID:
			st = http.StatusBadRequest
		case wiki.ETOOLARGE:
			st = http.StatusRequestEntityTooLarge
		case wiki.ENOTFOUND:
			st = http.StatusNotFound
		}
		w.Header().Del("Content-Type")
		http.Error(w, err.Error(), st)
		return
	}
	tb.Logf("git service error after %d bytes: %v", fw.n, err)
}

// flushWriter pushes every write to the client at once, as a streamed git
// response must be, and counts what was written.
type flushWriter struct {
	w http.ResponseWriter
	n int64
}

func (f *flushWriter) Write(p []byte) (int, error) {
	n, err := f.w.Write(p)
	f.n += int64(n)
	if fl, ok := f.w.(http.Flusher); ok {
		fl.Flush()
	}
	return n, err
}

// runGit runs the real git CLI in dir with a clean environment (no system or
// user configuration, a fresh HOME, a fixed identity, no prompts) and fails
// the test with git's output on error; it returns combined output.
func runGit(tb testing.TB, dir string, args ...string) string {
	tb.Helper()
	out, err := runGitErr(tb, dir, nil, args...)
	if err != nil {
		tb.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// runGitErr is runGit for calls expected to fail; env adds variables.
func runGitErr(tb testing.TB, dir string, env []string, args ...string) (string, error) {
	tb.Helper()
	cmd := gitCommand(tb, dir, args...)
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// gitCommand prepares the real git with runGit's clean environment. The
// client asks for protocol v2 (git 2.39's default) on purpose: warren
// answers v0 and git must fall back.
func gitCommand(tb testing.TB, dir string, args ...string) *exec.Cmd {
	cmd := exec.Command("git", append([]string{
		"-c", "user.name=Test User", "-c", "user.email=test@example.com",
		"-c", "init.defaultBranch=main", "-c", "protocol.version=2",
	}, args...)...)
	cmd.Dir = dir
	cmd.Env = gitCleanEnv(tb.TempDir())
	return cmd
}

// gitCleanEnv is the process environment without any GIT_* variable, plus
// the settings that isolate git from the machine's configuration.
func gitCleanEnv(home string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "GIT_") || strings.HasPrefix(kv, "HOME=") || strings.HasPrefix(kv, "XDG_CONFIG_HOME=") {
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"HOME="+home,
		"XDG_CONFIG_HOME="+home,
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_TERMINAL_PROMPT=0",
		"GIT_AUTHOR_NAME=Test User", "GIT_AUTHOR_EMAIL=test@example.com",
		"GIT_COMMITTER_NAME=Test User", "GIT_COMMITTER_EMAIL=test@example.com",
	)
}
