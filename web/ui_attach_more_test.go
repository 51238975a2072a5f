package web_test

import (
	"net/http"
	"testing"
)

// TestRenameAttachmentAndHistory renames an attachment from the browser
// form and lists its history; hostile names and callers change nothing.
func TestRenameAttachmentAndHistory(t *testing.T) {
	ts := mustUIWiki(t)
	mustUpload(t, ts, "old.txt", "one")
	mustUpload(t, ts, "other.txt", "two")
	const rename = "/acme/-/rename-attachment/Team/Meeting%20Notes?name=old.txt"
	runScenarios(t, ts, []scenario{
		{name: "form", req: Request{Path: rename, As: editor}, status: 200, want: []string{`value="old.txt"`}},
		{name: "form for a missing file", req: Request{Path: "/acme/-/rename-attachment/Team/Meeting%20Notes?name=nope.txt", As: editor}, status: 404},
		{name: "viewer may not rename", req: formPost(rename, viewer, form("to", "new.txt")), status: 403},
		{name: "path traversal", req: formPost(rename, editor, form("to", "../../etc/passwd")), status: 400},
		{name: "into a page", req: formPost(rename, editor, form("to", "Home.md")), status: 400},
		{name: "onto another file", req: formPost(rename, editor, form("to", "OTHER.txt")), status: 409, want: []string{"already has a file"}},
		{name: "without a name", req: formPost("/acme/-/rename-attachment/Team/Meeting%20Notes", editor, form("to", "x.txt")), status: 400},
	})
	if st, _, _ := ts.Do(t, Request{Path: notesFiles + "old.txt", As: viewer}); st != 200 {
		t.Fatalf("a refused rename moved the file: %d", st)
	}
	st, hdr, body := ts.Do(t, formPost(rename, editor, form("to", "new name.txt", "message", "clearer name")))
	if st != http.StatusSeeOther || hdr.Get("Location") != "/acme/-/attachments/Team/Meeting%20Notes" {
		t.Fatalf("rename: %d %s", st, body)
	}
	if st, _, body := ts.Do(t, Request{Path: notesFiles + "new%20name.txt", As: viewer}); st != 200 || body != "one" {
		t.Fatalf("renamed file: %d %q", st, body)
	}
	if st, _, _ := ts.Do(t, Request{Path: notesFiles + "old.txt", As: viewer}); st != 404 {
		t.Fatalf("old name still served: %d", st)
	}
	_, _, list := ts.Do(t, Request{Path: "/acme/-/attachments/Team/Meeting%20Notes", As: viewer})
	mustContain(t, "list", list, "attachment-history/Team/Meeting%20Notes?name=new&#43;name.txt")
	mustNotContain(t, "viewer's list", list, "rename-attachment")
	runScenarios(t, ts, []scenario{
		{name: "history", req: Request{Path: "/acme/-/attachment-history/Team/Meeting%20Notes?name=new%20name.txt", As: viewer}, status: 200,
			want: []string{"clearer name"}},
		{name: "history of the old name", req: Request{Path: "/acme/-/attachment-history/Team/Meeting%20Notes?name=old.txt", As: viewer}, status: 200,
			want: []string{"clearer name", "Add attachment old.txt"}},
		{name: "history of nothing", req: Request{Path: "/acme/-/attachment-history/Team/Meeting%20Notes?name=never.txt", As: viewer}, status: 404},
		{name: "history with a slash", req: Request{Path: "/acme/-/attachment-history/Team/Meeting%20Notes?name=a/b", As: viewer}, status: 400},
	})
	if st, body := patchSettings(t, ts, owner, `{"hide_history_from_viewers":true}`); st != 200 {
		t.Fatalf("PATCH: %d %s", st, body)
	}
	if st, _, _ := ts.Do(t, Request{Path: "/acme/-/attachment-history/Team/Meeting%20Notes?name=new%20name.txt", As: viewer}); st != 404 {
		t.Errorf("hidden attachment history as a viewer: %d", st)
	}
}
