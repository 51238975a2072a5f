package storage_test

import (
	"context"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// TestViewMemoFollowsIndex: the answers a page view asks for (the view,
// its backlinks, its last change) are kept in memory between views, and
// every index change — a web save, an out-of-band push caught up by Sync —
// shows in the very next view. A caller changing what it got changes
// nothing for the next caller.
func TestViewMemoFollowsIndex(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"Home.md": "# Home\n\nSee [[Later]].\n"})
	view := func() *wiki.PageView {
		t.Helper()
		v, err := w.View(ctx, "Home", "")
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	first := view()
	if !strings.Contains(first.HTML, "missing") {
		t.Fatalf("link to a page that does not exist is not marked:\n%s", first.HTML)
	}
	renders := w.Renderer.n.Load()
	first.HTML, first.Title = "scribbled", "scribbled"
	if again := view(); again.HTML == "scribbled" || again.Title != "Home" {
		t.Fatalf("a caller's change to its view leaked into the next view: %+v", again)
	}
	if w.Renderer.n.Load() != renders {
		t.Fatal("a warm view rendered")
	}

	// A web save of another page: the link is no longer missing, and the
	// new page's backlinks and history are current.
	w.mustSave(t, wiki.SaveRequest{Name: "Later", Content: []byte("# Later\n")})
	if v := view(); strings.Contains(v.HTML, "missing") {
		t.Errorf("link still marked missing after the page was created:\n%s", v.HTML)
	}
	if back, err := w.Backlinks(ctx, "Later"); err != nil || len(back) != 1 || back[0].Name != "Home" {
		t.Errorf("Backlinks(Later) = %+v, %v", back, err)
	}

	// A save of the page itself: new content, new last change.
	if h, err := w.History(ctx, "Home", 1, 0); err != nil || len(h) != 1 {
		t.Fatalf("History(Home) = %+v, %v", h, err)
	}
	w.mustSave(t, wiki.SaveRequest{Name: "Home", Content: []byte("# Home\n\nEdited.\n"),
		BaseRevision: w.mustPage(t, "Home").Revision, Message: "edit home"})
	if v := view(); !strings.Contains(v.HTML, "Edited.") {
		t.Errorf("view after a save shows the old text:\n%s", v.HTML)
	}
	if h, err := w.History(ctx, "Home", 1, 0); err != nil || len(h) != 1 || h[0].Message != "edit home" {
		t.Errorf("History(Home, 1) after a save = %+v, %v", h, err)
	}
	if back, err := w.Backlinks(ctx, "Later"); err != nil || len(back) != 0 {
		t.Errorf("Backlinks(Later) after the link was edited away = %+v, %v", back, err)
	}

	// An out-of-band push, then the Sync that a push triggers.
	w.outOfBand(t, map[string]string{"Home.md": "# Home\n\nPushed.\n"}, "push home")
	if err := w.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if v := view(); !strings.Contains(v.HTML, "Pushed.") {
		t.Errorf("view after a push and Sync shows the old text:\n%s", v.HTML)
	}
	if h, err := w.History(ctx, "Home", 1, 0); err != nil || len(h) != 1 || h[0].Message != "push home" {
		t.Errorf("History(Home, 1) after a push = %+v, %v", h, err)
	}
}
