package storage_test

import (
	"context"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/storage/internal/storetest"
	"github.com/warren-wiki/warren/wiki"
)

// TestRename: a rename is one commit that moves the file; the old name is
// gone, the new one has the content and the change log shows the move.
func TestRename(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"Home.md": "# Home\n", "Team/Notes.md": notes})
	base := w.mustPage(t, "Team/Notes").Revision
	commits := w.commits(t)

	rev, err := w.Rename(ctx, "Team/Notes", "Archive/Old Notes", base, "", caller("alice"))
	if err != nil {
		t.Fatalf("Rename: %v", err)
	}
	if got := w.commits(t); got != commits+1 {
		t.Errorf("commits = %d, want %d (one commit)", got, commits+1)
	}
	if _, err := w.Page(ctx, "Team/Notes", ""); wiki.ErrorCode(err) != wiki.ENOTFOUND {
		t.Errorf("old name: %v, want ENOTFOUND", err)
	}
	p := w.mustPage(t, "Archive/Old Notes")
	if string(p.Content) != notes || p.Revision != rev || p.File != "Archive/Old Notes.md" {
		t.Errorf("new page = %q at %s in %s, want the old content at %s", p.Content, p.Revision, p.File, rev)
	}
	changes, err := w.History(ctx, "Archive/Old Notes", 10, 0)
	if err != nil || len(changes) == 0 {
		t.Fatalf("History = %v, %v", changes, err)
	}
	if c := changes[0]; c.Revision != rev || c.Message != "Rename Team/Notes to Archive/Old Notes" || c.Author != "Alice" {
		t.Errorf("latest change = %+v", c)
	}
	files := storetest.MustGit(t, w.bare(), "show", "--name-status", "--format=", rev)
	if !strings.Contains(files, "Team/Notes.md") || !strings.Contains(files, "Archive/Old Notes.md") {
		t.Errorf("commit touched:\n%s", files)
	}
}

// TestRenameCaseOnly: changing only the case of a name is a rename of the
// file, not a clash with itself.
func TestRenameCaseOnly(t *testing.T) {
	w := MustOpenWiki(t, map[string]string{"notes.md": notes})
	base := w.mustPage(t, "notes").Revision
	if _, err := w.Rename(context.Background(), "notes", "Notes", base, "", caller("alice")); err != nil {
		t.Fatalf("Rename: %v", err)
	}
	if p := w.mustPage(t, "Notes"); p.File != "Notes.md" {
		t.Errorf("file = %s, want Notes.md", p.File)
	}
}

// TestRenameRefused: every bad rename is refused with its code and commits
// nothing.
func TestRenameRefused(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"Home.md": "# Home\n", "Notes.md": notes, "Other.md": "# Other\n"})
	old := w.mustPage(t, "Notes").Revision
	w.outOfBand(t, map[string]string{"Notes.md": notes + "more\n"}, "edit")
	if err := w.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	cur := w.mustPage(t, "Notes").Revision
	for _, tc := range []struct {
		name, from, to, base, code string
	}{
		{"StaleRevision", "Notes", "New", old, wiki.EPRECONDITION},
		{"NoRevision", "Notes", "New", "", wiki.EPRECONDITIONNEEDED},
		{"BadRevision", "Notes", "New", "HEAD~1", wiki.EINVALID},
		{"TargetExists", "Notes", "Other", cur, wiki.EEXISTS},
		{"TargetExistsOtherCase", "Notes", "OTHER", cur, wiki.EEXISTS},
		{"SameName", "Notes", "Notes", cur, wiki.EINVALID},
		{"TargetTraversal", "Notes", "../escape", cur, wiki.EINVALID},
		{"TargetDashPrefix", "Notes", "-/edit/x", cur, wiki.EINVALID},
		{"TargetNUL", "Notes", "a\x00b", cur, wiki.EINVALID},
		{"TargetGitDir", "Notes", ".git/config", cur, wiki.EINVALID},
		{"TargetAbsolute", "Notes", "/etc/passwd", cur, wiki.EINVALID},
		{"SourceMissing", "Nope", "New", cur, wiki.ENOTFOUND},
	} {
		t.Run(tc.name, func(t *testing.T) {
			commits := w.commits(t)
			_, err := w.Rename(ctx, tc.from, tc.to, tc.base, "", caller("alice"))
			storetest.WantCode(t, err, tc.code)
			if got := w.commits(t); got != commits {
				t.Errorf("commits = %d, want %d", got, commits)
			}
			if p := w.mustPage(t, "Notes"); p.Revision != cur {
				t.Errorf("Notes moved to %s", p.Revision)
			}
		})
	}
}
