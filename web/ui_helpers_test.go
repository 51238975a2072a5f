package web_test

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// The people of the UI scenarios: olive owns acme (admin), ed and eve edit,
// vic views, and mallory has no grant at all.
const (
	owner   = "olive"
	editor  = "ed"
	editor2 = "eve"
	viewer  = "vic"
	nobody  = "mallory"
)

// notesPage is a page with headings (for the TOC), a wikilink to an
// existing page and one to a missing page.
const notesPage = "# Meeting Notes\n\nSee [[Home]] and [[Missing Page]].\n\n## Agenda\n\none\ntwo\nthree\n\n## Actions\n\nnone\n"

// mustUIWiki starts warren with a private wiki acme holding a home page and
// Team/Meeting Notes, and grants for every person above.
func mustUIWiki(t *testing.T) *TestServer {
	t.Helper()
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", owner, wiki.Private, map[string]string{"Team/Meeting Notes": notesPage})
	ts.MustGrant(t, "acme", editor, wiki.RoleEditor)
	ts.MustGrant(t, "acme", editor2, wiki.RoleEditor)
	ts.MustGrant(t, "acme", viewer, wiki.RoleViewer)
	return ts
}

// form encodes fields as an application/x-www-form-urlencoded body.
func form(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v.Encode()
}

// formPost is a Request posting an HTML form as a browser would.
func formPost(path, as, body string) Request {
	return Request{Method: "POST", Path: path, As: as, Body: body,
		Headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}
}

var (
	baseRE     = regexp.MustCompile(`name="base_revision" value="([0-9a-f]*)"`)
	textareaRE = regexp.MustCompile(`(?s)<textarea id="warren-content"[^>]*>\n?(.*?)</textarea>`)
)

// editorState opens the editor of a page and returns its base revision and text.
func editorState(t *testing.T, ts *TestServer, page, as string) (base, text string) {
	t.Helper()
	st, _, body := ts.Do(t, Request{Path: "/acme/-/edit/" + page, As: as})
	if st != 200 {
		t.Fatalf("GET editor of %s as %s: %d\n%s", page, as, st, body)
	}
	return submatch(t, baseRE, body), html.UnescapeString(submatch(t, textareaRE, body))
}

// submatch returns the first group of re in body or fails.
func submatch(t *testing.T, re *regexp.Regexp, body string) string {
	t.Helper()
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no match for %s in\n%s", re, body)
	}
	return m[1]
}

// mustContain fails unless body contains every string.
func mustContain(t *testing.T, what, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s: body lacks %q\n%s", what, w, body)
		}
	}
}

// mustNotContain fails if body contains any of the strings.
func mustNotContain(t *testing.T, what, body string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(body, w) {
			t.Errorf("%s: body contains %q\n%s", what, w, body)
		}
	}
}

// scenario is one request and what its answer must (not) contain.
type scenario struct {
	name    string
	req     Request
	status  int
	want    []string
	notWant []string
}

// runScenarios runs a table of requests against ts.
func runScenarios(t *testing.T, ts *TestServer, table []scenario) {
	t.Helper()
	for _, sc := range table {
		t.Run(sc.name, func(t *testing.T) {
			st, _, body := ts.Do(t, sc.req)
			if st != sc.status {
				t.Fatalf("%s %s as %q: status %d, want %d\n%s", sc.req.Method, sc.req.Path, sc.req.As, st, sc.status, body)
			}
			mustContain(t, sc.name, body, sc.want...)
			mustNotContain(t, sc.name, body, sc.notWant...)
		})
	}
}

// pageText reads a page's Markdown through the API, as its owner.
func pageText(t *testing.T, ts *TestServer, page string) string {
	t.Helper()
	st, _, body := ts.Do(t, Request{Path: "/acme/-/api/pages/" + page, As: owner})
	if st == 404 {
		return ""
	}
	if st != 200 {
		t.Fatalf("API GET %s: %d %s", page, st, body)
	}
	var p struct{ Content string }
	MustJSON(t, body, &p)
	return p.Content
}
