package gitproto_test

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/warren-wiki/warren/storage/gitproto"
	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/internal/storetest"
)

// pushEnv is a wiki repository served over smart HTTP with a clone of it,
// for push tests that drive the real git client.
type pushEnv struct {
	tb      testing.TB
	repo    *gitrepo.Repo
	url     string
	work    string       // a clone of url
	env     []string     // extra environment for git push
	updated atomic.Int32 // OnUpdated calls
}

// pageText is a page large enough that git sends an edit of it as a delta
// against the copy the server has (a thin pack).
var pageText = strings.Repeat("Otters hold hands while they sleep so they do not drift apart.\n", 80)

// newPushEnv makes a wiki with two pages, serves it with opt and clones it.
func newPushEnv(tb testing.TB, opt gitproto.ReceiveOptions) *pushEnv {
	tb.Helper()
	e := &pushEnv{tb: tb}
	e.repo = storetest.MustInitRepo(tb, map[string]string{"Home.md": "# Home\n", "Notes/Otters.md": pageText})
	if opt.OnUpdated == nil {
		opt.OnUpdated = func(context.Context) error { e.updated.Add(1); return nil }
	}
	e.url = MustServeGit(tb, e.repo, opt)
	e.work = e.clone()
	return e
}

// clone makes another clone of the wiki.
func (e *pushEnv) clone() string {
	e.tb.Helper()
	dir := filepath.Join(e.tb.TempDir(), "work")
	runGit(e.tb, e.tb.TempDir(), "clone", "-q", e.url, dir)
	return dir
}

// commitIn writes files (path → content) in clone dir, commits them and
// returns the new commit id.
func commitIn(tb testing.TB, dir string, files map[string]string, msg string) string {
	tb.Helper()
	for p, content := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	runGit(tb, dir, "add", "-A")
	runGit(tb, dir, "commit", "-q", "-m", msg)
	return strings.TrimSpace(runGit(tb, dir, "rev-parse", "HEAD"))
}

// push runs git push in the clone; it returns git's output and error.
func (e *pushEnv) push(args ...string) (string, error) {
	e.tb.Helper()
	return runGitErr(e.tb, e.work, e.env, append([]string{"push"}, args...)...)
}

// mustPush pushes and fails the test if git fails.
func (e *pushEnv) mustPush(args ...string) string {
	e.tb.Helper()
	out, err := e.push(args...)
	if err != nil {
		e.tb.Fatalf("git push %v: %v\n%s", args, err, out)
	}
	return out
}

// refs reads the server's refs.
func (e *pushEnv) refs() map[string]string {
	e.tb.Helper()
	refs, err := e.repo.Refs(context.Background())
	if err != nil {
		e.tb.Fatal(err)
	}
	return refs
}

// mustRefuse pushes, expects git to fail with want in its output, and
// checks that the server's refs did not move and the repository is sound.
func (e *pushEnv) mustRefuse(want string, args ...string) string {
	e.tb.Helper()
	before := e.refs()
	out, err := e.push(args...)
	if err == nil {
		e.tb.Fatalf("git push %v succeeded, want refusal %q\n%s", args, want, out)
	}
	if !strings.Contains(out, want) {
		e.tb.Fatalf("git push %v output lacks %q:\n%s", args, want, out)
	}
	if after := e.refs(); !maps.Equal(before, after) {
		e.tb.Fatalf("refused push moved refs: before %v after %v", before, after)
	}
	assertRepoSound(e.tb, e.repo)
	return out
}

// assertRepoSound runs git fsck --full on the server repository and checks
// that no temporary pack file was left behind.
func assertRepoSound(tb testing.TB, repo *gitrepo.Repo) {
	tb.Helper()
	out, err := runGitErr(tb, repo.Dir(), nil, "fsck", "--full", "--no-dangling")
	if err != nil {
		tb.Fatalf("git fsck: %v\n%s", err, out)
	}
	if tmp := tempPackFiles(tb, repo); len(tmp) > 0 {
		tb.Fatalf("temporary files left in objects/pack: %v", tmp)
	}
}

func tempPackFiles(tb testing.TB, repo *gitrepo.Repo) []string {
	tb.Helper()
	entries, err := os.ReadDir(filepath.Join(repo.Dir(), "objects", "pack"))
	if err != nil && !os.IsNotExist(err) {
		tb.Fatal(err)
	}
	var tmp []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "tmp_") || strings.HasSuffix(e.Name(), ".lock") {
			tmp = append(tmp, e.Name())
		}
	}
	return tmp
}

// rawPush is a receive-pack request body built by hand: commands, flush,
// then the pack git pack-objects makes for revs (e.g. "new", "^old").
func rawPush(tb testing.TB, dir string, cmds []string, caps string, revs ...string) []byte {
	tb.Helper()
	var b bytes.Buffer
	for i, c := range cmds {
		if i == 0 {
			c += "\x00" + caps
		}
		fmt.Fprintf(&b, "%04x%s\n", len(c)+5, c)
	}
	b.WriteString("0000")
	if len(revs) > 0 {
		cmd := exec.Command("git", "pack-objects", "--stdout", "--revs", "-q")
		cmd.Dir = dir
		cmd.Stdin = strings.NewReader(strings.Join(revs, "\n") + "\n")
		pack, err := cmd.Output()
		if err != nil {
			tb.Fatalf("git pack-objects: %v", err)
		}
		b.Write(pack)
	}
	return b.Bytes()
}

// receive runs storage.ReceivePack directly on body and returns the answer.
func receive(tb testing.TB, repo *gitrepo.Repo, body []byte, opt gitproto.ReceiveOptions) (string, error) {
	tb.Helper()
	var out bytes.Buffer
	var lock sync.Mutex
	err := gitproto.ReceivePack(context.Background(), repo, &lock, bytes.NewReader(body), &out, opt)
	return out.String(), err
}

// runGitStdin runs git like runGit, feeding stdin; it returns stdout.
func runGitStdin(tb testing.TB, dir, stdin string, args ...string) string {
	tb.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = gitCleanEnv(tb.TempDir())
	cmd.Stdin = strings.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("git %v: %v\n%s", args, err, stderr.String())
	}
	return string(out)
}
