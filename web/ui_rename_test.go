package web_test

import (
	"net/http"
	"testing"
)

// TestUIRename renames a page through its form: the new name shows the
// content and the history, the old name redirects (301); bad, taken and stale
// renames are refused and move nothing; viewers may not rename.
func TestUIRename(t *testing.T) {
	ts := mustUIWiki(t)
	mustContain(t, "page actions", uiGet(t, ts, "/acme/Team/Meeting%20Notes", editor), `/acme/-/rename/Team/Meeting%20Notes`)
	mustNotContain(t, "viewer's page actions", uiGet(t, ts, "/acme/Team/Meeting%20Notes", viewer), `/-/rename/`)
	body := uiGet(t, ts, "/acme/-/rename/Team/Meeting%20Notes", editor)
	base := submatch(t, baseRE, body)
	post := func(as string, kv ...string) Request {
		return formPost("/acme/-/rename/Team/Meeting%20Notes", as, form(kv...))
	}
	runScenarios(t, ts, []scenario{
		{name: "viewer cannot see the form", req: Request{Path: "/acme/-/rename/Team/Meeting%20Notes", As: viewer}, status: 403},
		{name: "viewer cannot rename", req: post(viewer, "to", "Moved", "base_revision", base), status: 403},
		{name: "target exists", req: post(editor, "to", "Home", "base_revision", base), status: 409,
			want: []string{"already exists", `value="Home"`}},
		{name: "invalid target", req: post(editor, "to", "../escape", "base_revision", base), status: 400,
			want: []string{"..", `name="to"`}},
		{name: "control character in target", req: post(editor, "to", "a\x01b", "base_revision", base), status: 400},
		{name: "malformed revision", req: post(editor, "to", "Moved", "base_revision", "HEAD"), status: 400},
		{name: "missing page", req: formPost("/acme/-/rename/Nope", editor, form("to", "Moved", "base_revision", base)), status: 404},
	})
	if pageText(t, ts, "Team/Meeting%20Notes") != notesPage || pageText(t, ts, "Moved") != "" {
		t.Fatal("a refused rename moved the page")
	}

	// Someone edits the page after the form was opened: the rename is stale.
	b2, text := editorState(t, ts, "Team/Meeting%20Notes", editor2)
	if st, _, _ := ts.Do(t, formPost("/acme/-/edit/Team/Meeting%20Notes", editor2, form("content", text+"more\n", "base_revision", b2))); st != http.StatusSeeOther {
		t.Fatalf("edit: %d", st)
	}
	if st, _, body := ts.Do(t, post(editor, "to", "Moved", "base_revision", base)); st != http.StatusPreconditionFailed {
		t.Fatalf("stale rename: %d, want 412\n%s", st, body)
	}
	if pageText(t, ts, "Moved") != "" {
		t.Fatal("a stale rename moved the page")
	}

	base = submatch(t, baseRE, uiGet(t, ts, "/acme/-/rename/Team/Meeting%20Notes", editor))
	st, hdr, _ := ts.Do(t, post(editor, "to", "Archive/Old Notes", "base_revision", base, "message", "archived"))
	if st != http.StatusSeeOther || hdr.Get("Location") != "/acme/Archive/Old%20Notes" {
		t.Fatalf("rename: %d %q", st, hdr.Get("Location"))
	}
	runScenarios(t, ts, []scenario{
		{name: "old name redirects", req: Request{Path: "/acme/Team/Meeting%20Notes", As: viewer}, status: 301},
		{name: "new name shows the content", req: Request{Path: "/acme/Archive/Old%20Notes", As: viewer}, status: 200,
			want: []string{"Meeting Notes", "Agenda", "more"}},
		{name: "history shows the rename", req: Request{Path: "/acme/-/history/Archive/Old%20Notes", As: viewer}, status: 200,
			want: []string{"archived"}},
	})
}
