package storetest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/wiki"
)

// MustInitRepo creates a bare repository in a temporary directory with one
// commit holding files (path → content), made by storage.InitRepo itself.
func MustInitRepo(tb testing.TB, files map[string]string) *gitrepo.Repo {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "repo.git")
	r, err := gitrepo.InitRepo(context.Background(), dir, FileChanges(files), "Test Author", "author@example.com", "initial")
	if err != nil {
		tb.Fatalf("InitRepo: %v", err)
	}
	tb.Cleanup(func() { r.Close() })
	return r
}

// MustOpenRepo opens the repository at dir, closed when the test ends.
func MustOpenRepo(tb testing.TB, dir string) *gitrepo.Repo {
	tb.Helper()
	r, err := gitrepo.OpenRepo(dir)
	if err != nil {
		tb.Fatalf("OpenRepo: %v", err)
	}
	tb.Cleanup(func() { r.Close() })
	return r
}

// MustGitRepo builds a bare repository with the real git CLI: one commit on
// main holding files (path → content), the layout other tools (An Otter
// Wiki, GitHub wikis) would have written. It returns the bare directory.
func MustGitRepo(tb testing.TB, files map[string]string) string {
	tb.Helper()
	root := tb.TempDir()
	work := filepath.Join(root, "work")
	bare := filepath.Join(root, "repo.git")
	MustGit(tb, root, "init", "-q", "-b", "main", work)
	for _, p := range sortedKeys(files) {
		full := filepath.Join(work, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(files[p]), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	MustGit(tb, work, "add", "-A")
	MustGit(tb, work, "commit", "-q", "--allow-empty", "-m", "initial from git")
	MustGit(tb, root, "clone", "-q", "--bare", work, bare)
	return bare
}

// MustGit runs the git CLI in dir with a fixed identity and no user or
// system configuration, failing the test on error; it returns stdout.
func MustGit(tb testing.TB, dir string, args ...string) string {
	tb.Helper()
	out, err := TryGit(dir, args...)
	if err != nil {
		tb.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// TryGit runs the git CLI in dir like MustGit but returns the error, for
// tests that expect git to refuse something.
func TryGit(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=Git CLI", "GIT_AUTHOR_EMAIL=cli@example.com",
		"GIT_COMMITTER_NAME=Git CLI", "GIT_COMMITTER_EMAIL=cli@example.com",
		"GIT_TERMINAL_PROMPT=0",
	)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func FileChanges(files map[string]string) []gitrepo.FileChange {
	var fc []gitrepo.FileChange
	for _, p := range sortedKeys(files) {
		fc = append(fc, gitrepo.FileChange{Path: p, Content: []byte(files[p])})
	}
	return fc
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// repoMustCommit commits files (path → content; content "" with del true
// deletes) on top of parent with storage.Repo.Commit, failing on error.
func RepoMustCommit(tb testing.TB, r *gitrepo.Repo, parent string, files map[string]string, deletes ...string) string {
	tb.Helper()
	changes := FileChanges(files)
	for _, p := range deletes {
		changes = append(changes, gitrepo.FileChange{Path: p, Delete: true})
	}
	id, err := r.Commit(context.Background(), gitrepo.CommitRequest{
		Parent: parent, Changes: changes, AuthorName: "Ann Author", AuthorEmail: "ann@example.com",
		Message: "change " + strings.Join(sortedKeys(files), ", "), When: time.Now(),
	})
	if err != nil {
		tb.Fatalf("Commit: %v", err)
	}
	return id
}

// repoHead returns the repository's main branch, failing on error.
func RepoHead(tb testing.TB, r *gitrepo.Repo) string {
	tb.Helper()
	h, err := r.Head(context.Background())
	if err != nil {
		tb.Fatalf("Head: %v", err)
	}
	return h
}

// repoWantCode fails unless err carries the application error code want.
func RepoWantCode(tb testing.TB, err error, want string) {
	tb.Helper()
	if got := wiki.ErrorCode(err); err == nil || got != want {
		tb.Fatalf("error = %v (code %q), want code %q", err, got, want)
	}
}

// WorkClone is a working clone of a bare repository, for tests that build
// a history with the git CLI (branches, merges, pushes) the way people do.
type WorkClone struct {
	tb  testing.TB
	Dir string
}

// MustClone clones bare into a new temporary directory.
func MustClone(tb testing.TB, bare string) *WorkClone {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "w")
	MustGit(tb, filepath.Dir(dir), "clone", "-q", bare, dir)
	return &WorkClone{tb: tb, Dir: dir}
}

// Git runs the git CLI in the clone.
func (w *WorkClone) Git(args ...string) string {
	w.tb.Helper()
	return MustGit(w.tb, w.Dir, args...)
}

// Commit writes name (making its folders) and commits it as "edit <name>".
func (w *WorkClone) Commit(name, content string) {
	w.tb.Helper()
	p := filepath.Join(w.Dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		w.tb.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		w.tb.Fatal(err)
	}
	w.Git("add", name)
	w.Git("commit", "-qm", "edit "+name)
}

// Head is the commit the clone's HEAD names.
func (w *WorkClone) Head() string {
	w.tb.Helper()
	return strings.TrimSpace(w.Git("rev-parse", "HEAD"))
}
