package gitproto_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/storage/gitproto"
)

func TestPushNewPages(t *testing.T) {
	e := newPushEnv(t, gitproto.ReceiveOptions{})
	rev := commitIn(t, e.work, map[string]string{"Team/Meeting Notes.md": "# Monday\n", "Ideas.md": "more otters\n"}, "new pages")
	e.mustPush("origin", "main")
	if got := e.refs()["refs/heads/main"]; got != rev {
		t.Fatalf("main = %s, want %s", got, rev)
	}
	content, _, err := e.repo.ReadFile(context.Background(), "", "Team/Meeting Notes.md")
	if err != nil || string(content) != "# Monday\n" {
		t.Fatalf("ReadFile = %q, %v", content, err)
	}
	if n := e.updated.Load(); n != 1 {
		t.Fatalf("OnUpdated ran %d times, want 1", n)
	}
	assertRepoSound(t, e.repo)
}

// TestPushEditThinPack pushes a small edit of a page the server has: git
// sends it as a delta against the server's copy (a thin pack), which the
// server completes with the base from the repository.
func TestPushEditThinPack(t *testing.T) {
	e := newPushEnv(t, gitproto.ReceiveOptions{})
	rev := commitIn(t, e.work, map[string]string{"Notes/Otters.md": pageText + "Sea otters use rocks as tools.\n"}, "edit")
	out := e.mustPush("--progress", "origin", "main")
	if !strings.Contains(out, "completed with 1 base from the wiki") {
		t.Fatalf("the push was not thin (or not completed):\n%s", out)
	}
	if got := e.refs()["refs/heads/main"]; got != rev {
		t.Fatalf("main = %s, want %s", got, rev)
	}
	content, _, err := e.repo.ReadFile(context.Background(), "", "Notes/Otters.md")
	if err != nil || !strings.HasSuffix(string(content), "rocks as tools.\n") {
		t.Fatalf("ReadFile = %q, %v", content, err)
	}
	assertRepoSound(t, e.repo)
	// A second clone reads the completed pack.
	fresh := e.clone()
	if got := strings.TrimSpace(runGit(t, fresh, "rev-parse", "HEAD")); got != rev {
		t.Fatalf("fresh clone at %s, want %s", got, rev)
	}
}

func TestPushNewBranch(t *testing.T) {
	e := newPushEnv(t, gitproto.ReceiveOptions{})
	runGit(t, e.work, "checkout", "-q", "-b", "draft")
	rev := commitIn(t, e.work, map[string]string{"Draft.md": "wip\n"}, "draft")
	e.mustPush("origin", "draft")
	refs := e.refs()
	if refs["refs/heads/draft"] != rev {
		t.Fatalf("draft = %s, want %s", refs["refs/heads/draft"], rev)
	}
	// A branch at a commit the server already has brings no objects.
	runGit(t, e.work, "branch", "same", "origin/main")
	e.mustPush("origin", "same")
	if refs := e.refs(); refs["refs/heads/same"] != refs["refs/heads/main"] {
		t.Fatalf("same = %s, want main %s", refs["refs/heads/same"], refs["refs/heads/main"])
	}
	assertRepoSound(t, e.repo)
}

func TestPushAnnotatedTag(t *testing.T) {
	e := newPushEnv(t, gitproto.ReceiveOptions{})
	runGit(t, e.work, "tag", "-a", "v1.0", "-m", "first release")
	tag := strings.TrimSpace(runGit(t, e.work, "rev-parse", "v1.0"))
	e.mustPush("origin", "v1.0")
	if got := e.refs()["refs/tags/v1.0"]; got != tag {
		t.Fatalf("refs/tags/v1.0 = %s, want tag object %s", got, tag)
	}
	// Moving an existing tag rewrites it: editors may not.
	runGit(t, e.work, "tag", "-f", "-a", "v1.0", "-m", "again")
	e.mustRefuse("moving a tag needs the admin role", "--force", "origin", "v1.0")
	assertRepoSound(t, e.repo)
}

func TestPushDeleteBranch(t *testing.T) {
	e := newPushEnv(t, gitproto.ReceiveOptions{})
	runGit(t, e.work, "checkout", "-q", "-b", "old-idea")
	commitIn(t, e.work, map[string]string{"Idea.md": "x\n"}, "idea")
	e.mustPush("origin", "old-idea")
	calls := e.updated.Load()
	e.mustPush("origin", "--delete", "old-idea")
	if _, ok := e.refs()["refs/heads/old-idea"]; ok {
		t.Fatal("branch still exists after --delete")
	}
	if e.updated.Load() != calls+1 {
		t.Fatal("OnUpdated did not run after a delete-only push")
	}
	e.mustRefuse("deleting the main branch needs the admin role", "origin", "--delete", "main")
	assertRepoSound(t, e.repo)
}

// TestPushForceByEditorRefused: an editor's force-push is refused with a
// clear reason and moves nothing.
func TestPushForceByEditorRefused(t *testing.T) {
	e := newPushEnv(t, gitproto.ReceiveOptions{CanForce: false})
	runGit(t, e.work, "commit", "-q", "--amend", "-m", "rewritten history")
	e.mustRefuse("non-fast-forward", "--force", "origin", "main")
	calls := e.updated.Load()
	if calls != 0 {
		t.Fatalf("OnUpdated ran %d times after refused pushes", calls)
	}
}

func TestPushForceByAdmin(t *testing.T) {
	e := newPushEnv(t, gitproto.ReceiveOptions{CanForce: true})
	runGit(t, e.work, "commit", "-q", "--amend", "-m", "rewritten history")
	rev := strings.TrimSpace(runGit(t, e.work, "rev-parse", "HEAD"))
	e.mustPush("--force", "origin", "main")
	if got := e.refs()["refs/heads/main"]; got != rev {
		t.Fatalf("main = %s, want %s", got, rev)
	}
	e.mustPush("origin", "--delete", "main")
	if _, ok := e.refs()["refs/heads/main"]; ok {
		t.Fatal("admin could not delete main")
	}
	assertRepoSound(t, e.repo)
}

// TestPushAtomicRefusesAll: with --atomic, one refused ref (a branch with a
// path the page rules refuse) refuses the good one too; without it, the
// good one goes through.
func TestPushAtomicRefusesAll(t *testing.T) {
	e := newPushEnv(t, gitproto.ReceiveOptions{})
	good := commitIn(t, e.work, map[string]string{"Good.md": "fine\n"}, "good")
	bad := strings.TrimSpace(runGit(t, e.work, "commit-tree", makeTree(t, e.work, map[string]string{"-rf.md": "x\n"}), "-p", good, "-m", "bad"))
	runGit(t, e.work, "branch", "bad", bad)
	out := e.mustRefuse("atomic push failed", "--atomic", "origin", "main", "bad")
	if !strings.Contains(out, `path not allowed: "-rf.md"`) {
		t.Fatalf("the bad ref's own reason is missing:\n%s", out)
	}
	out, err := e.push("origin", "main", "bad")
	if err == nil || !strings.Contains(out, "path not allowed") {
		t.Fatalf("non-atomic push: err %v\n%s", err, out)
	}
	refs := e.refs()
	if refs["refs/heads/main"] != good {
		t.Fatalf("main = %s, want %s (non-atomic push accepts the good ref)", refs["refs/heads/main"], good)
	}
	if _, ok := refs["refs/heads/bad"]; ok {
		t.Fatal("the bad ref was created")
	}
	assertRepoSound(t, e.repo)
}

// hashObject writes a blob holding text and returns its id.
func hashObject(tb testing.TB, dir, text string) string {
	tb.Helper()
	return strings.TrimSpace(runGitStdin(tb, dir, text, "hash-object", "-w", "--stdin"))
}

// TestPushSavedWhenIndexUpdateFails: OnUpdated failing after the ref moved
// does not turn a saved push into a reported failure; the user is told on
// the side band.
func TestPushSavedWhenIndexUpdateFails(t *testing.T) {
	e := newPushEnv(t, gitproto.ReceiveOptions{OnUpdated: func(context.Context) error {
		return errors.New("index is locked")
	}})
	rev := commitIn(t, e.work, map[string]string{"A.md": "a\n"}, "a")
	out := e.mustPush("origin", "main")
	if !strings.Contains(out, "the push is saved, but updating the wiki's pages failed") {
		t.Fatalf("no warning:\n%s", out)
	}
	if got := e.refs()["refs/heads/main"]; got != rev {
		t.Fatalf("main = %s, want %s", got, rev)
	}
}
