package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const notesFiles = "/acme/-/files/Team/Meeting%20Notes/"

// upload is a Request posting a multipart upload form with the file name
// exactly as given (no clean-up by a client library) and extra fields.
func upload(t *testing.T, as, fileName string, content []byte, fields ...string) Request {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(fields); i += 2 {
		if err := mw.WriteField(fields[i], fields[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	hdr := textproto.MIMEHeader{}
	hdr.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename="%s"`, fileName))
	hdr.Set("Content-Type", "application/octet-stream")
	part, err := mw.CreatePart(hdr)
	if err != nil {
		t.Fatal(err)
	}
	part.Write(content)
	mw.Close()
	return Request{Method: "POST", Path: "/acme/-/attachments/Team/Meeting%20Notes", As: as, Body: buf.String(),
		Headers: map[string]string{"Content-Type": mw.FormDataContentType()}}
}

// mustUpload uploads and expects the redirect back to the list.
func mustUpload(t *testing.T, ts *TestServer, name, content string) {
	t.Helper()
	st, hdr, body := ts.Do(t, upload(t, editor, name, []byte(content)))
	if st != http.StatusSeeOther || hdr.Get("Location") != "/acme/-/attachments/Team/Meeting%20Notes" {
		t.Fatalf("upload %s: %d %q\n%s", name, st, hdr.Get("Location"), body)
	}
}

// TestUIAttachments uploads, lists, downloads (with caching by blob id),
// replaces and deletes an attachment; viewers read but cannot change.
func TestUIAttachments(t *testing.T) {
	ts := mustUIWiki(t)
	mustUpload(t, ts, "diagram.png", "PNG-1")
	body := uiGet(t, ts, "/acme/-/attachments/Team/Meeting%20Notes", viewer)
	mustContain(t, "list", body, "diagram.png", notesFiles+"diagram.png")
	mustNotContain(t, "viewer's list", body, `type="file"`, "delete-attachment")
	mustContain(t, "editor's list", uiGet(t, ts, "/acme/-/attachments/Team/Meeting%20Notes", editor), `type="file"`, "delete-attachment")
	mustContain(t, "page actions", uiGet(t, ts, "/acme/Team/Meeting%20Notes", viewer), "/acme/-/attachments/Team/Meeting%20Notes")

	st, hdr, got := ts.Do(t, Request{Path: notesFiles + "diagram.png", As: viewer})
	if st != 200 || got != "PNG-1" || hdr.Get("Content-Type") != "image/png" || !strings.HasPrefix(hdr.Get("Content-Disposition"), "inline") {
		t.Fatalf("download: %d %q %v", st, got, hdr)
	}
	etag := hdr.Get("ETag")
	blob := strings.Trim(etag, `"`)
	if !strings.Contains(hdr.Get("Content-Security-Policy"), "sandbox") || hdr.Get("Cache-Control") != "private, no-cache" || len(blob) != 40 {
		t.Errorf("headers: %v", hdr)
	}
	if _, hdr, _ := ts.Do(t, Request{Path: notesFiles + "diagram.png?v=" + blob, As: viewer}); !strings.Contains(hdr.Get("Cache-Control"), "immutable") {
		t.Errorf("versioned download Cache-Control = %q", hdr.Get("Cache-Control"))
	}
	if st, _, _ := ts.Do(t, Request{Path: notesFiles + "diagram.png", As: viewer, Headers: map[string]string{"If-None-Match": etag}}); st != http.StatusNotModified {
		t.Errorf("revalidation: %d, want 304", st)
	}

	// A Markdown image link to the file survives the sanitizer.
	base, text := editorState(t, ts, "Team/Meeting%20Notes", editor)
	text += "\n![diagram](/acme/-/files/Team/Meeting%20Notes/diagram.png)\n"
	if st, _, body := ts.Do(t, formPost("/acme/-/edit/Team/Meeting%20Notes", editor, form("content", text, "base_revision", base))); st != http.StatusSeeOther {
		t.Fatalf("edit: %d\n%s", st, body)
	}
	mustContain(t, "image link", uiGet(t, ts, "/acme/Team/Meeting%20Notes", viewer), `<img src="/acme/-/files/Team/Meeting%20Notes/diagram.png"`)

	mustUpload(t, ts, "diagram.png", "PNG-2")
	if _, _, got := ts.Do(t, Request{Path: notesFiles + "diagram.png", As: viewer}); got != "PNG-2" {
		t.Errorf("after replacing: %q", got)
	}
	toMissing := upload(t, editor, "x.txt", []byte("x"))
	toMissing.Path = "/acme/-/attachments/Nope"
	del := formPost("/acme/-/delete-attachment/Team/Meeting%20Notes", editor, form("name", "diagram.png"))
	runScenarios(t, ts, []scenario{
		{name: "viewer cannot upload", req: upload(t, viewer, "x.txt", []byte("x")), status: 403},
		{name: "viewer cannot delete", req: formPost("/acme/-/delete-attachment/Team/Meeting%20Notes", viewer, form("name", "diagram.png")), status: 403},
		{name: "anonymous cannot download from a private wiki", req: Request{Path: notesFiles + "diagram.png"}, status: 404},
		{name: "anonymous cannot list", req: Request{Path: "/acme/-/attachments/Team/Meeting%20Notes"}, status: 404},
		{name: "stranger cannot download", req: Request{Path: notesFiles + "diagram.png", As: nobody}, status: 404},
		{name: "editor deletes", req: del, status: http.StatusSeeOther},
		{name: "deleted file is gone", req: Request{Path: notesFiles + "diagram.png", As: viewer}, status: 404},
		{name: "deleting again", req: del, status: 404},
		{name: "unknown page", req: Request{Path: "/acme/-/attachments/Nope", As: viewer}, status: 404},
		{name: "upload to a missing page", req: toMissing, status: 404},
	})
}

// dangerous are attachments a browser would run as active content with
// the wiki's origin if they were served as their own type.
var dangerous = map[string]string{
	"evil.html": "<html><script>alert(document.cookie)</script></html>",
	"evil.svg":  `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`,
	"evil.js":   "alert(1)",
	"evil":      "<script>alert(1)</script>",
}

// mustServeAsDownload uploads name and checks that it comes back as an
// inert, sandboxed download.
func mustServeAsDownload(t *testing.T, ts *TestServer, name string) {
	t.Helper()
	mustUpload(t, ts, name, dangerous[name])
	st, hdr, body := ts.Do(t, Request{Path: notesFiles + name, As: viewer})
	if st != 200 || body != dangerous[name] {
		t.Fatalf("GET %s: %d %q", name, st, body)
	}
	if ct := hdr.Get("Content-Type"); ct != "application/octet-stream" {
		t.Errorf("%s: Content-Type = %q", name, ct)
	}
	if cd := hdr.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, name) {
		t.Errorf("%s: Content-Disposition = %q", name, cd)
	}
	if csp := hdr.Get("Content-Security-Policy"); !strings.Contains(csp, "sandbox") {
		t.Errorf("%s: Content-Security-Policy = %q", name, csp)
	}
	if hdr.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("%s: no nosniff", name)
	}
}

// TestAttachmentHTMLServedAsDownload: an uploaded HTML page must never be
// rendered with the wiki's origin (stored XSS).
func TestAttachmentHTMLServedAsDownload(t *testing.T) {
	mustServeAsDownload(t, mustUIWiki(t), "evil.html")
}

// TestAttachmentSVGServedAsDownload: SVG can carry script, so it is a
// download too, as are scripts and files without an extension.
func TestAttachmentSVGServedAsDownload(t *testing.T) {
	ts := mustUIWiki(t)
	for _, name := range []string{"evil.svg", "evil.js", "evil"} {
		mustServeAsDownload(t, ts, name)
	}
}

// TestAttachmentPathTraversal: file names that would leave the page's
// folder, hide in git or become pages are refused with 400, as are
// oversized files with 413, and nothing is committed.
func TestAttachmentPathTraversal(t *testing.T) {
	ts := mustUIWiki(t)
	repo := filepath.Join(ts.DataDir, "wikis", "acme", "repo.git")
	head := func() string {
		t.Helper()
		out, err := os.ReadFile(filepath.Join(repo, "refs", "heads", "main"))
		if err != nil {
			return mustGitAs(t, "", repo, "rev-parse", "main")
		}
		return string(out)
	}
	before := head()
	big := bytes.Repeat([]byte("x"), 1<<20+1) // test server: --max-blob 1 MiB
	huge := bytes.Repeat([]byte("x"), 3<<20)  // beyond any body limit
	runScenarios(t, ts, []scenario{
		{name: "dot-dot in the file name", req: upload(t, editor, "../x", []byte("x")), status: 400},
		{name: "dot-dot to the repository", req: upload(t, editor, "../../../config", []byte("x")), status: 400},
		{name: "slash in the file name", req: upload(t, editor, "a/b", []byte("x")), status: 400},
		{name: "backslash in the file name", req: upload(t, editor, `a\\b`, []byte("x")), status: 400},
		{name: "NUL in the file name", req: upload(t, editor, "a\x00b", []byte("x")), status: 400},
		{name: "git directory", req: upload(t, editor, ".git", []byte("x")), status: 400},
		{name: "a page file", req: upload(t, editor, "Evil.md", []byte("# x")), status: 400},
		{name: "dot-dot in the name field", req: upload(t, editor, "ok.txt", []byte("x"), "name", "../x"), status: 400},
		{name: "slash in the name field", req: upload(t, editor, "ok.txt", []byte("x"), "name", "a/b"), status: 400},
		{name: "no file name", req: upload(t, editor, "", []byte("x")), status: 400},
		{name: "over --max-blob", req: upload(t, editor, "big.bin", big), status: 413},
		{name: "over the body limit", req: upload(t, editor, "huge.bin", huge), status: 413},
		{name: "not multipart", req: formPost("/acme/-/attachments/Team/Meeting%20Notes", editor, form("file", "x")), status: 400},
	})
	if after := head(); after != before {
		t.Fatalf("main moved from %s to %s", before, after)
	}
	mustContain(t, "list", uiGet(t, ts, "/acme/-/attachments/Team/Meeting%20Notes", editor), "no attachments")
}

// TestAttachmentUploadUpToMaxBlob: a file of exactly --max-blob fits,
// although it is larger than the general body limit would allow with the
// form around it.
func TestAttachmentUploadUpToMaxBlob(t *testing.T) {
	ts := mustUIWiki(t)
	mustUpload(t, ts, "exact.bin", strings.Repeat("y", 1<<20))
	if st, _, body := ts.Do(t, Request{Path: notesFiles + "exact.bin", As: viewer}); st != 200 || len(body) != 1<<20 {
		t.Fatalf("download: %d, %d bytes", st, len(body))
	}
}

// TestAttachmentGitClone: an uploaded attachment is an ordinary file in
// the page's folder of a clone.
func TestAttachmentGitClone(t *testing.T) {
	ts := mustUIWiki(t)
	mustUpload(t, ts, "plan.pdf", "%PDF-1.4 plan")
	work := filepath.Join(t.TempDir(), "acme")
	mustGitAs(t, viewer, ".", "clone", "-q", ts.URL+"/acme/.git", work)
	got, err := os.ReadFile(filepath.Join(work, "Team", "Meeting Notes", "plan.pdf"))
	if err != nil || string(got) != "%PDF-1.4 plan" {
		t.Fatalf("clone: %q, %v", got, err)
	}
	if _, err := os.Stat(filepath.Join(work, "Team", "Meeting Notes.md")); err != nil {
		t.Fatalf("page beside the folder: %v", err)
	}
}
