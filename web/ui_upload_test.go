package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/textproto"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/web"
	"github.com/warren-wiki/warren/wiki"
)

// uploadMany is a Request posting several files in one form.
func uploadMany(t *testing.T, as string, files map[string]string, headers map[string]string, fields ...string) Request {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(fields); i += 2 {
		if err := mw.WriteField(fields[i], fields[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	for name, content := range files {
		hdr := textproto.MIMEHeader{}
		hdr.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename="%s"`, name))
		part, err := mw.CreatePart(hdr)
		if err != nil {
			t.Fatal(err)
		}
		part.Write([]byte(content))
	}
	mw.Close()
	h := map[string]string{"Content-Type": mw.FormDataContentType()}
	for k, v := range headers {
		h[k] = v
	}
	return Request{Method: "POST", Path: "/acme/-/attachments/Team/Meeting%20Notes", As: as, Body: buf.String(), Headers: h}
}

// TestUIUploadSeveralAndJSON uploads two files in one form, refuses "Save
// as" for two, answers the editor in JSON, and lists the files in the API
// and on the attachments page with sizes and Markdown snippets.
func TestUIUploadSeveralAndJSON(t *testing.T) {
	ts := mustUIWiki(t)
	two := map[string]string{"a.png": "PNG", "notes (draft).txt": strings.Repeat("x", 3000)}
	if st, _, body := ts.Do(t, uploadMany(t, editor, two, nil)); st != 303 {
		t.Fatalf("two files: %d %s", st, body)
	}
	if st, _, body := ts.Do(t, uploadMany(t, editor, two, nil, "name", "one.png")); st != 400 || !strings.Contains(body, "Save as") {
		t.Fatalf("two files saved as one name: %d %s", st, body)
	}
	json := map[string]string{"Accept": "application/json"}
	st, _, body := ts.Do(t, uploadMany(t, editor, map[string]string{"b.png": "PNG-B"}, json))
	if st != 200 || !strings.Contains(body, `"markdown":"![b.png](/acme/-/files/Team/Meeting%20Notes/b.png)"`) {
		t.Fatalf("JSON upload: %d %s", st, body)
	}
	if st, _, body := ts.Do(t, uploadMany(t, viewer, map[string]string{"c.png": "x"}, json)); st != 403 {
		t.Fatalf("viewer's JSON upload: %d %s", st, body)
	}
	st, _, body = ts.Do(t, Request{Path: "/acme/-/api/pages/Team/Meeting%20Notes/attachments", As: viewer})
	if st != 200 {
		t.Fatalf("API attachments: %d %s", st, body)
	}
	mustContain(t, "API attachments", body, `"name":"a.png"`, `"image":true`,
		`"markdown":"[notes (draft).txt](/acme/-/files/Team/Meeting%20Notes/notes%20%28draft%29.txt)"`)
	page := uiGet(t, ts, "/acme/-/attachments/Team/Meeting%20Notes", viewer)
	mustContain(t, "attachments page", page, "2.9 KiB", "3 bytes", `<img src="/acme/-/files/Team/Meeting%20Notes/a.png?v=`, `data-copy="![a.png](/acme/-/files/Team/Meeting%20Notes/a.png)"`)
}

// TestUISignInLink offers the proxy's sign-in page to anonymous readers
// only, with the way back, and on the 401 page behind Edit.
func TestUISignInLink(t *testing.T) {
	ts := MustStartServer(t, func(s *web.Server) { s.LoginURL = "https://auth.example.org/?rd={url}" })
	ts.MustCreateWiki(t, "open", "olive", wiki.Public, nil)
	_, _, body := ts.Do(t, Request{Path: "/open/"})
	mustContain(t, "anonymous view", body, `class="signin" href="https://auth.example.org/?rd=http%3A%2F%2F127.0.0.1`, `href="/open/-/edit/Home">Edit</a>`)
	_, _, body = ts.Do(t, Request{Path: "/open/", As: "olive"})
	mustNotContain(t, "signed-in view", body, "auth.example.org")
	st, _, body := ts.Do(t, Request{Path: "/open/-/edit/Home"})
	if st != 401 || !strings.Contains(body, `id="warren-signin"`) || !strings.Contains(body, "%2Fopen%2F-%2Fedit%2FHome") {
		t.Fatalf("anonymous editor: %d\n%s", st, body)
	}
	for preset, want := range map[string]string{"oauth2-proxy": "/oauth2/start?rd={rd}", "authelia": "", "tailscale": ""} {
		if got := web.DefaultLoginURL(preset); got != want {
			t.Errorf("DefaultLoginURL(%s) = %q, want %q", preset, got, want)
		}
	}
}
