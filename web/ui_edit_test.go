package web_test

import (
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// TestUIEditSave edits a page in the browser form: the editor carries the
// base revision, a save commits as the caller and redirects to the page,
// and the history shows the commit.
func TestUIEditSave(t *testing.T) {
	ts := mustUIWiki(t)
	base, text := editorState(t, ts, "Team/Meeting%20Notes", editor)
	if text != notesPage {
		t.Fatalf("editor text %q, want %q", text, notesPage)
	}
	if len(base) != 40 {
		t.Fatalf("base revision %q", base)
	}
	// Browsers send CRLF; the commit must keep the file's LF line ends.
	edited := strings.ReplaceAll(strings.Replace(text, "two", "two and a half", 1), "\n", "\r\n")
	st, hdr, body := ts.Do(t, formPost("/acme/-/edit/Team/Meeting%20Notes", editor,
		form("content", edited, "base_revision", base, "message", "more agenda")))
	if st != http.StatusSeeOther || hdr.Get("Location") != "/acme/Team/Meeting%20Notes" {
		t.Fatalf("save: %d Location %q\n%s", st, hdr.Get("Location"), body)
	}
	if got, want := pageText(t, ts, "Team/Meeting%20Notes"), strings.Replace(notesPage, "two", "two and a half", 1); got != want {
		t.Fatalf("saved text %q, want %q", got, want)
	}
	_, _, body = ts.Do(t, Request{Path: "/acme/-/history/Team/Meeting%20Notes", As: viewer})
	mustContain(t, "history", body, "more agenda", editor)

	// A new page: the editor starts from its title, saving creates it.
	_, text = editorState(t, ts, "Ideas/Big%20One", editor)
	if text != "# Big One\n\n" {
		t.Fatalf("new page editor text %q", text)
	}
	st, hdr, _ = ts.Do(t, formPost("/acme/-/edit/Ideas/Big%20One", editor, form("content", "# Big One\n\nfly\n")))
	if st != http.StatusSeeOther || hdr.Get("Location") != "/acme/Ideas/Big%20One" {
		t.Fatalf("create: %d %q", st, hdr.Get("Location"))
	}
	_, _, body = ts.Do(t, Request{Path: "/acme/Ideas/Big%20One", As: viewer})
	mustContain(t, "new page", body, "<p>fly</p>")
}

// TestUIEditForbidden keeps the editor and every write from callers whose
// role does not allow them, and checks that nothing changed.
func TestUIEditForbidden(t *testing.T) {
	ts := mustUIWiki(t)
	ts.MustCreateWiki(t, "open", owner, wiki.Public, nil)
	save := form("content", "vandalized", "base_revision", "")
	runScenarios(t, ts, []scenario{
		{name: "viewer cannot see the editor", req: Request{Path: "/acme/-/edit/Team/Meeting%20Notes", As: viewer}, status: 403,
			notWant: []string{"<textarea"}},
		{name: "viewer cannot save", req: formPost("/acme/-/edit/Team/Meeting%20Notes", viewer, save), status: 403},
		{name: "viewer cannot preview", req: formPost("/acme/-/preview", viewer, form("content", "x")), status: 403},
		{name: "viewer cannot delete", req: formPost("/acme/-/delete/Team/Meeting%20Notes", viewer, form("base_revision", "abcd")), status: 403},
		{name: "viewer cannot open new page", req: Request{Path: "/acme/-/new", As: viewer}, status: 403},
		{name: "stranger sees nothing", req: Request{Path: "/acme/-/edit/Home", As: nobody}, status: 404},
		{name: "anonymous on a public wiki must sign in", req: Request{Path: "/open/-/edit/Home"}, status: 401},
		{name: "anonymous reads a public wiki", req: Request{Path: "/open/"}, status: 200, want: []string{"Welcome."},
			notWant: []string{"/open/-/edit/"}},
		{name: "preview by GET is not a route", req: Request{Path: "/acme/-/preview", As: editor}, status: 404},
	})
	if got := pageText(t, ts, "Team/Meeting%20Notes"); got != notesPage {
		t.Fatalf("page changed by refused requests: %q", got)
	}
}

// TestUIPreview renders posted Markdown with the wiki's renderer and its
// sanitizer, as the editor's live preview does.
func TestUIPreview(t *testing.T) {
	ts := mustUIWiki(t)
	st, hdr, body := ts.Do(t, formPost("/acme/-/preview", editor, form("page", "Team/Meeting Notes",
		"content", "# Hi\n\n**bold** [[Home]] [[Nowhere]]\n\n<script>alert(1)</script><a href=\"javascript:alert(1)\">x</a>\n")))
	if st != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") {
		t.Fatalf("preview: %d %s", st, hdr.Get("Content-Type"))
	}
	mustContain(t, "preview", body, "<strong>bold</strong>", `href="/acme/Home"`, "missing")
	mustNotContain(t, "preview", body, "<script", "javascript:", "<html")
	st, _, _ = ts.Do(t, formPost("/acme/-/preview", editor, form("page", "../x", "content", "x")))
	if st != http.StatusBadRequest {
		t.Fatalf("preview with a bad page name: %d", st)
	}
}

// TestUIConflictKeepsText has two editors start from one revision. Edits
// that do not overlap merge; overlapping ones get the 409 conflict page with
// both versions and the second editor's text kept, based on the current
// revision, and offered again as a draft.
func TestUIConflictKeepsText(t *testing.T) {
	ts := mustUIWiki(t)
	page := "/acme/-/edit/Team/Meeting%20Notes"
	base, text := editorState(t, ts, "Team/Meeting%20Notes", editor)

	st, _, body := ts.Do(t, formPost(page, editor, form("content", strings.Replace(text, "two", "TWO (ed)", 1), "base_revision", base)))
	if st != http.StatusSeeOther {
		t.Fatalf("first save: %d %s", st, body)
	}
	// Eve changed another line from the same base: merged, with a notice.
	st, hdr, body := ts.Do(t, formPost(page, editor2, form("content", strings.Replace(text, "none", "none (eve)", 1), "base_revision", base)))
	if st != http.StatusSeeOther || !strings.HasSuffix(hdr.Get("Location"), "?notice=merged") {
		t.Fatalf("merge: %d %q %s", st, hdr.Get("Location"), body)
	}
	_, _, body = ts.Do(t, Request{Path: hdr.Get("Location"), As: editor2})
	mustContain(t, "merged page", body, "TWO (ed)", "none (eve)", "merged")

	// Eve changes the same line again from the old base: conflict.
	mine := strings.Replace(text, "two", "two (eve)", 1)
	st, _, body = ts.Do(t, formPost(page, editor2, form("content", mine, "base_revision", base, "message", "eve's take")))
	if st != http.StatusConflict {
		t.Fatalf("conflict: %d %s", st, body)
	}
	current := pageText(t, ts, "Team/Meeting%20Notes")
	if !strings.Contains(current, "TWO (ed)") || strings.Contains(current, "two (eve)") {
		t.Fatalf("conflicting save changed the page: %q", current)
	}
	if got := html.UnescapeString(submatch(t, textareaRE, body)); got != mine {
		t.Fatalf("conflict page textarea %q, want the caller's text %q", got, mine)
	}
	mustContain(t, "conflict page", body, "TWO (ed)", `<span class="add">&#43; two (eve)</span>`,
		`<span class="del">- TWO (ed)</span>`, `value="eve&#39;s take"`)
	if got := submatch(t, baseRE, body); got == base || len(got) != 40 {
		t.Fatalf("conflict form based on %q, want the current revision", got)
	}

	// The text is kept as a draft and offered in the editor.
	_, _, body = ts.Do(t, Request{Path: page, As: editor2})
	mustContain(t, "draft offer", body, "Restore it", "?draft=1")
	_, _, body = ts.Do(t, Request{Path: page + "?draft=1", As: editor2})
	if got := html.UnescapeString(submatch(t, textareaRE, body)); got != mine {
		t.Fatalf("restored draft %q, want %q", got, mine)
	}

	// Saving the kept text on the current revision resolves the conflict.
	cur := submatch(t, baseRE, uiGet(t, ts, page, editor2))
	st, _, body = ts.Do(t, formPost(page, editor2, form("content", mine, "base_revision", cur)))
	if st != http.StatusSeeOther {
		t.Fatalf("save after conflict: %d %s", st, body)
	}
	if got := pageText(t, ts, "Team/Meeting%20Notes"); got != mine {
		t.Fatalf("after resolving: %q", got)
	}
}

// uiGet fetches a page that must answer 200.
func uiGet(t *testing.T, ts *TestServer, path, as string) string {
	t.Helper()
	st, _, body := ts.Do(t, Request{Path: path, As: as})
	if st != 200 {
		t.Fatalf("GET %s as %s: %d\n%s", path, as, st, body)
	}
	return body
}

// TestUIDelete deletes a page through the confirmation form; a stale
// confirmation (the page changed since) is refused and deletes nothing.
func TestUIDelete(t *testing.T) {
	ts := mustUIWiki(t)
	body := uiGet(t, ts, "/acme/-/delete/Team/Meeting%20Notes", editor)
	base := submatch(t, baseRE, body)

	b2, text := editorState(t, ts, "Team/Meeting%20Notes", editor2)
	if st, _, _ := ts.Do(t, formPost("/acme/-/edit/Team/Meeting%20Notes", editor2, form("content", text+"more\n", "base_revision", b2))); st != http.StatusSeeOther {
		t.Fatalf("edit: %d", st)
	}
	st, _, _ := ts.Do(t, formPost("/acme/-/delete/Team/Meeting%20Notes", editor, form("base_revision", base)))
	if st != http.StatusPreconditionFailed {
		t.Fatalf("stale delete: %d, want 412", st)
	}
	if pageText(t, ts, "Team/Meeting%20Notes") == "" {
		t.Fatal("stale delete removed the page")
	}
	base = submatch(t, baseRE, uiGet(t, ts, "/acme/-/delete/Team/Meeting%20Notes", editor))
	st, hdr, _ := ts.Do(t, formPost("/acme/-/delete/Team/Meeting%20Notes", editor, form("base_revision", base, "message", "obsolete")))
	if st != http.StatusSeeOther || hdr.Get("Location") != "/acme/-/changes?notice=deleted" {
		t.Fatalf("delete: %d %q", st, hdr.Get("Location"))
	}
	if st, _, _ := ts.Do(t, Request{Path: "/acme/Team/Meeting%20Notes", As: viewer}); st != 404 {
		t.Fatalf("deleted page: %d", st)
	}
	mustContain(t, "changes", uiGet(t, ts, "/acme/-/changes?notice=deleted", viewer), "obsolete", "deleted", "The page was deleted.")
	if st, _, _ := ts.Do(t, formPost("/acme/-/delete/Home", editor, form("base_revision", "not-a-rev"))); st != 400 {
		t.Fatalf("delete with a malformed revision: %d", st)
	}
}

// TestUIDraftAutosave keeps the editor's unsaved text as a draft, offers it
// on the next visit, and discards it on request; viewers cannot keep drafts.
func TestUIDraftAutosave(t *testing.T) {
	ts := mustUIWiki(t)
	edit := "/acme/-/edit/Team/Meeting%20Notes"
	base, _ := editorState(t, ts, "Team/Meeting%20Notes", editor)
	runScenarios(t, ts, []scenario{
		{name: "viewer cannot keep drafts", req: formPost("/acme/-/draft/Team/Meeting%20Notes", viewer, form("content", "x")), status: 403},
		{name: "bad base revision", req: formPost("/acme/-/draft/Team/Meeting%20Notes", editor, form("content", "x", "base_revision", "HEAD")), status: 400},
		{name: "keep a draft", req: formPost("/acme/-/draft/Team/Meeting%20Notes", editor, form("content", "half-written\r\n", "base_revision", base)), status: 204},
		{name: "the draft is offered", req: Request{Path: edit, As: editor}, status: 200, want: []string{"Restore it", "Discard it"}},
		{name: "only to its author", req: Request{Path: edit, As: editor2}, status: 200, notWant: []string{"Restore it"}},
	})
	body := uiGet(t, ts, edit+"?draft=1", editor)
	if got := html.UnescapeString(submatch(t, textareaRE, body)); got != "half-written\n" {
		t.Fatalf("restored draft %q", got)
	}
	if got := submatch(t, baseRE, body); got != base {
		t.Fatalf("restored draft based on %q, want %q", got, base)
	}
	if pageText(t, ts, "Team/Meeting%20Notes") != notesPage {
		t.Fatal("keeping a draft changed the page")
	}
	st, hdr, _ := ts.Do(t, formPost("/acme/-/discard-draft/Team/Meeting%20Notes", editor, ""))
	if st != http.StatusSeeOther || hdr.Get("Location") != edit {
		t.Fatalf("discard: %d %q", st, hdr.Get("Location"))
	}
	mustNotContain(t, "after discarding", uiGet(t, ts, edit, editor), "Restore it")
}
