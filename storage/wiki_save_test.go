package storage_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/internal/storetest"
	"github.com/warren-wiki/warren/wiki"
)

const notes = "# Notes\n\nline one\nline two\nline three\nline four\nline five\n"

// TestSaveTwoEditors: Alice and Bob both start from the same revision and
// Alice saves first. Bob's save is merged when the edits do not overlap and
// refused as a conflict (his text kept as a draft, nothing overwritten) when
// they do.
func TestSaveTwoEditors(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name       string
		alice, bob string
		merged     string // "" = a conflict is expected
	}{
		{
			name:   "NonOverlapping",
			alice:  strings.Replace(notes, "line one", "line ONE (alice)", 1),
			bob:    strings.Replace(notes, "line five", "line FIVE (bob)", 1),
			merged: strings.Replace(strings.Replace(notes, "line one", "line ONE (alice)", 1), "line five", "line FIVE (bob)", 1),
		},
		{
			name:  "Overlapping",
			alice: strings.Replace(notes, "line three", "line three by alice", 1),
			bob:   strings.Replace(notes, "line three", "line three by bob", 1),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := MustOpenWiki(t, map[string]string{"Notes.md": notes})
			base := w.mustPage(t, "Notes").Revision
			a := w.mustSave(t, wiki.SaveRequest{Name: "Notes", Content: []byte(tc.alice), BaseRevision: base, Author: caller("alice")})
			commits := w.commits(t)

			res, err := w.Save(ctx, wiki.SaveRequest{Name: "Notes", Content: []byte(tc.bob), BaseRevision: base, Author: caller("bob")})
			if tc.merged != "" {
				if err != nil {
					t.Fatalf("Save(bob): %v", err)
				}
				if !res.Merged || res.Created {
					t.Errorf("result = %+v, want Merged", res)
				}
				if got := string(w.mustPage(t, "Notes").Content); got != tc.merged {
					t.Errorf("content = %q, want %q", got, tc.merged)
				}
				if _, _, err := w.Draft(ctx, "Notes", "bob"); wiki.ErrorCode(err) != wiki.ENOTFOUND {
					t.Errorf("Draft after a merged save: %v, want ENOTFOUND", err)
				}
				return
			}
			storetest.WantCode(t, err, wiki.ECONFLICT)
			if msg := wiki.ErrorMessage(err); !strings.Contains(msg, "overlap") {
				t.Errorf("message = %q", msg)
			}
			ce := asConflict(t, err)
			if string(ce.Base) != notes || string(ce.Theirs) != tc.alice || string(ce.Mine) != tc.bob || ce.CurrentRevision != a.Revision {
				t.Errorf("conflict = base %q theirs %q mine %q rev %s", ce.Base, ce.Theirs, ce.Mine, ce.CurrentRevision)
			}
			if got := string(w.mustPage(t, "Notes").Content); got != tc.alice {
				t.Errorf("content after conflict = %q, want Alice's", got)
			}
			if got := w.commits(t); got != commits {
				t.Errorf("commits = %d, want %d (nothing committed)", got, commits)
			}
			draft, draftBase, err := w.Draft(ctx, "Notes", "bob")
			if err != nil || string(draft) != tc.bob || draftBase != base {
				t.Errorf("Draft = %q, %q, %v; want Bob's text at %s", draft, draftBase, err, base)
			}
			// Bob resolves the conflict on top of Alice's revision: it lands
			// and his draft is gone.
			w.mustSave(t, wiki.SaveRequest{Name: "Notes", Content: []byte(tc.bob), BaseRevision: a.Revision, Author: caller("bob")})
			if _, _, err := w.Draft(ctx, "Notes", "bob"); wiki.ErrorCode(err) != wiki.ENOTFOUND {
				t.Errorf("Draft after saving: %v, want ENOTFOUND", err)
			}
		})
	}
}

// TestSaveCreate covers creating pages and creating over an existing one.
func TestSaveCreate(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"Home.md": "# Home\n"})

	res := w.mustSave(t, wiki.SaveRequest{Name: "Team/Meeting Notes", Content: []byte("# Meeting\n")})
	if !res.Created || res.Merged {
		t.Errorf("create result = %+v", res)
	}
	p := w.mustPage(t, "Team/Meeting Notes")
	if p.File != "Team/Meeting Notes.md" || p.Revision != res.Revision || p.Title != "Meeting" {
		t.Errorf("page = %+v", p)
	}
	log, err := w.History(ctx, "Team/Meeting Notes", 10, 0)
	if err != nil || len(log) != 1 || log[0].Message != "Create Team/Meeting Notes" || log[0].Author != "Alice" || log[0].Action != "added" {
		t.Errorf("History = %+v, %v", log, err)
	}

	t.Run("ExistingPageWithoutBase", func(t *testing.T) {
		commits := w.commits(t)
		_, err := w.Save(ctx, wiki.SaveRequest{Name: "home", Content: []byte("mine"), Author: caller("bob")})
		storetest.WantCode(t, err, wiki.ECONFLICT)
		if ce := asConflict(t, err); ce.Name != "Home" || string(ce.Theirs) != "# Home\n" {
			t.Errorf("conflict = %+v", ce)
		}
		if got := w.commits(t); got != commits {
			t.Errorf("commits = %d, want %d", got, commits)
		}
	})
	t.Run("StrictWithoutBase", func(t *testing.T) {
		_, err := w.Save(ctx, wiki.SaveRequest{Name: "Home", Content: []byte("mine"), Strict: true, Author: caller("bob")})
		storetest.WantCode(t, err, wiki.EPRECONDITIONNEEDED)
	})
	t.Run("StrictStale", func(t *testing.T) {
		home := w.mustPage(t, "Home")
		w.mustSave(t, wiki.SaveRequest{Name: "Home", Content: []byte("# Home\n\nv2\n"), BaseRevision: home.Revision})
		_, err := w.Save(ctx, wiki.SaveRequest{Name: "Home", Content: []byte("# Home\n\nv2 elsewhere\n"), BaseRevision: home.Revision, Strict: true})
		storetest.WantCode(t, err, wiki.EPRECONDITION)
		if _, _, err := w.Draft(ctx, "Home", "alice"); wiki.ErrorCode(err) != wiki.ENOTFOUND {
			t.Errorf("a strict save kept a draft: %v", err)
		}
	})
	t.Run("CaseInsensitiveUpdate", func(t *testing.T) {
		home := w.mustPage(t, "Home")
		res := w.mustSave(t, wiki.SaveRequest{Name: "HOME", Content: []byte("# Home\n\nv3\n"), BaseRevision: home.Revision})
		if res.Created {
			t.Errorf("saving HOME created a new page instead of updating Home")
		}
		if p := w.mustPage(t, "Home"); string(p.Content) != "# Home\n\nv3\n" || p.File != "Home.md" {
			t.Errorf("Home = %+v", p)
		}
	})
	t.Run("Unchanged", func(t *testing.T) {
		home := w.mustPage(t, "Home")
		commits := w.commits(t)
		res := w.mustSave(t, wiki.SaveRequest{Name: "Home", Content: home.Content, BaseRevision: home.Revision})
		if res.Revision != home.Revision || w.commits(t) != commits {
			t.Errorf("saving unchanged text committed: %+v", res)
		}
	})
}

// TestSaveDeletedSinceBase: the page was deleted after the editor opened it;
// the save is a conflict, not a silent re-creation.
func TestSaveDeletedSinceBase(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"Home.md": "home\n", "Old.md": "old text\n"})
	base := w.mustPage(t, "Old").Revision
	if _, err := w.Delete(ctx, "Old", base, "", caller("alice")); err != nil {
		t.Fatal(err)
	}
	_, err := w.Save(ctx, wiki.SaveRequest{Name: "Old", Content: []byte("old text, edited\n"), BaseRevision: base, Author: caller("bob")})
	ce := asConflict(t, err)
	if string(ce.Base) != "old text\n" || ce.Theirs != nil || ce.CurrentRevision != "" {
		t.Errorf("conflict = %+v", ce)
	}
	if _, err := w.Page(ctx, "Old", ""); wiki.ErrorCode(err) != wiki.ENOTFOUND {
		t.Errorf("Old came back: %v", err)
	}
}

// TestSaveInvalidName: bad names are EINVALID and commit nothing.
func TestSaveInvalidName(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"Home.md": "home\n"})
	commits := w.commits(t)
	for _, name := range []string{"", "../etc/passwd", "a/../../b", "/abs", "-/edit/x", "a\x00b", "tab\there",
		".git/config", "x/.GIT/hooks", "a//b", strings.Repeat("x", 256)} {
		t.Run(fmt.Sprintf("%q", name), func(t *testing.T) {
			_, err := w.Save(ctx, wiki.SaveRequest{Name: name, Content: []byte("x"), Author: caller("alice")})
			storetest.WantCode(t, err, wiki.EINVALID)
			_, err = w.Delete(ctx, name, strings.Repeat("a", 40), "", caller("alice"))
			storetest.WantCode(t, err, wiki.EINVALID)
		})
	}
	t.Run("BadBaseRevision", func(t *testing.T) {
		_, err := w.Save(ctx, wiki.SaveRequest{Name: "Home", Content: []byte("x"), BaseRevision: "main~1"})
		storetest.WantCode(t, err, wiki.EINVALID)
	})
	if got := w.commits(t); got != commits {
		t.Errorf("commits = %d, want %d", got, commits)
	}
}

// TestDelete covers deleting with the current, a stale and no revision.
func TestDelete(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"Home.md": "home\n", "Gone.md": "bye\n"})
	stale := w.mustPage(t, "Gone").Revision
	cur := w.mustSave(t, wiki.SaveRequest{Name: "Gone", Content: []byte("bye now\n"), BaseRevision: stale}).Revision

	_, err := w.Delete(ctx, "Gone", stale, "", caller("bob"))
	storetest.WantCode(t, err, wiki.EPRECONDITION)
	_, err = w.Delete(ctx, "Gone", "", "", caller("bob"))
	storetest.WantCode(t, err, wiki.EPRECONDITIONNEEDED)
	_, err = w.Delete(ctx, "Nowhere", cur, "", caller("bob"))
	storetest.WantCode(t, err, wiki.ENOTFOUND)
	w.mustPage(t, "Gone")

	rev, err := w.Delete(ctx, "Gone", cur, "", caller("bob"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Page(ctx, "Gone", ""); wiki.ErrorCode(err) != wiki.ENOTFOUND {
		t.Errorf("Page after delete: %v", err)
	}
	if old, err := w.Page(ctx, "Gone", cur); err != nil || string(old.Content) != "bye now\n" {
		t.Errorf("old revision after delete: %v", err)
	}
	log, err := w.History(ctx, "Gone", 1, 0)
	if err != nil || len(log) != 1 || log[0].Revision != rev || log[0].Action != "deleted" || log[0].Message != "Delete Gone" {
		t.Errorf("History = %+v, %v", log, err)
	}
}

// TestConcurrentSaves: many editors saving different pages of one wiki at
// once all land, one commit each.
func TestConcurrentSaves(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"Home.md": "home\n"})
	const n = 12
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for range n { // readers run beside the writers and never wait for them
		wg.Go(func() {
			_, err := w.View(ctx, "Home", "")
			errs <- err
		})
	}
	for i := range n {
		wg.Go(func() {
			name := fmt.Sprintf("Page %02d", i)
			_, err := w.Save(ctx, wiki.SaveRequest{Name: name, Content: []byte("text of " + name), Author: caller(fmt.Sprintf("user%d", i))})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	pages, err := w.List(ctx, "Page ", "", 100)
	if err != nil || len(pages) != n {
		t.Fatalf("List = %d pages, %v; want %d", len(pages), err, n)
	}
	if got := w.commits(t); got != n+1 {
		t.Errorf("commits = %d, want %d", got, n+1)
	}
	log, err := w.History(ctx, "", 100, 0)
	if err != nil || len(log) != n+1 {
		t.Errorf("History = %d entries, %v; want %d", len(log), err, n+1)
	}
}

// TestSaveRetriesLostRace: if HEAD moves between the save's catch-up and
// its commit (an out-of-band writer), the ref compare-and-swap fails and
// the save runs again on the new HEAD, merging instead of overwriting.
func TestSaveRetriesLostRace(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"Notes.md": notes})
	base := w.mustPage(t, "Notes").Revision
	theirs := strings.Replace(notes, "line one", "line one (racing)", 1)
	var once sync.Once
	w.Now = func() time.Time {
		once.Do(func() { // runs inside Save, just before its commit
			head, err := w.Repo.Head(ctx)
			if err == nil {
				_, err = w.Repo.Commit(ctx, gitrepo.CommitRequest{Parent: head, AuthorName: "Racer", AuthorEmail: "r@example.com",
					Message: "race", Changes: []gitrepo.FileChange{{Path: "Notes.md", Content: []byte(theirs)}}})
			}
			if err != nil {
				t.Error(err)
			}
		})
		return time.Now()
	}
	res := w.mustSave(t, wiki.SaveRequest{Name: "Notes", Content: []byte(notes + "line six\n"), BaseRevision: base})
	if !res.Merged {
		t.Errorf("result = %+v, want Merged", res)
	}
	if got := string(w.mustPage(t, "Notes").Content); got != theirs+"line six\n" {
		t.Errorf("content = %q", got)
	}
	if got := w.commits(t); got != 3 {
		t.Errorf("commits = %d, want 3", got)
	}
}
