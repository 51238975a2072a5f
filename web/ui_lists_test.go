package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestUIHistoryDiffChanges edits a page, then reads its history, the diff
// between the two revisions, and the wiki's recent changes.
func TestUIHistoryDiffChanges(t *testing.T) {
	ts := mustUIWiki(t)
	first, text := editorState(t, ts, "Team/Meeting%20Notes", editor)
	st, _, _ := ts.Do(t, formPost("/acme/-/edit/Team/Meeting%20Notes", editor,
		form("content", strings.Replace(text, "three", "three <b>&</b> four", 1), "base_revision", first, "message", "add four")))
	if st != http.StatusSeeOther {
		t.Fatalf("save: %d", st)
	}
	second, _ := editorState(t, ts, "Team/Meeting%20Notes", editor)

	history := uiGet(t, ts, "/acme/-/history/Team/Meeting%20Notes", viewer)
	mustContain(t, "history", history, "add four", editor,
		`href="/acme/Team/Meeting%20Notes?rev=`+first+`"`,
		`href="/acme/-/diff/Team/Meeting%20Notes?from=`+first+`&amp;to=`+second+`"`,
		`action="/acme/-/diff/Team/Meeting%20Notes"`)
	if n := len(regexp.MustCompile(`<li class="entry">`).FindAllString(history, -1)); n != 2 {
		t.Fatalf("history lists %d entries, want 2", n)
	}

	runScenarios(t, ts, []scenario{
		{name: "diff", req: Request{Path: "/acme/-/diff/Team/Meeting%20Notes?from=" + first + "&to=" + second, As: viewer}, status: 200,
			want: []string{`<tr class="del"><td class="ln">9</td><td class="ln"></td><td class="sign">-</td><td class="text">three</td>`,
				`<td class="text">three<ins> &lt;b&gt;&amp;&lt;/b&gt; four</ins></td>`, `<tr class="ctx"><td class="ln">8</td><td class="ln">8</td><td class="sign"> </td><td class="text">two</td>`,
				"From", "To", "add four"}},
		{name: "diff needs revisions", req: Request{Path: "/acme/-/diff/Team/Meeting%20Notes?from=&to=" + second, As: viewer}, status: 400},
		{name: "diff refuses rev expressions", req: Request{Path: "/acme/-/diff/Team/Meeting%20Notes?from=HEAD~1&to=HEAD", As: viewer}, status: 400},
		{name: "changes", req: Request{Path: "/acme/-/changes", As: viewer}, status: 200,
			want: []string{"add four", `href="/acme/Team/Meeting%20Notes"`, "modified", "added"}},
		{name: "changes with a bad cursor", req: Request{Path: "/acme/-/changes?before=x", As: viewer}, status: 400},
		{name: "history of a page that never existed", req: Request{Path: "/acme/-/history/Nope", As: viewer}, status: 404},
	})
}

// TestUIIndexSearchNew covers the page index with folders, search, and the
// "new page" form that leads to the editor.
func TestUIIndexSearchNew(t *testing.T) {
	ts := mustUIWiki(t)
	runScenarios(t, ts, []scenario{
		{name: "index top level", req: Request{Path: "/acme/-/pages", As: viewer}, status: 200,
			want:    []string{`href="/acme/-/pages?prefix=Team%2F"`, "Team/", `href="/acme/Home"`},
			notWant: []string{`href="/acme/Team/Meeting%20Notes"`}},
		{name: "index of a folder", req: Request{Path: "/acme/-/pages?prefix=Team/", As: viewer}, status: 200,
			want: []string{`href="/acme/Team/Meeting%20Notes"`, "Meeting Notes"}, notWant: []string{`href="/acme/Home"`}},
		{name: "index with a bad prefix", req: Request{Path: "/acme/-/pages?prefix=../", As: viewer}, status: 400},
		{name: "search hit", req: Request{Path: "/acme/-/search?q=agenda", As: viewer}, status: 200,
			want: []string{`href="/acme/Team/Meeting%20Notes"`, "<mark>", `value="agenda"`}},
		{name: "search miss", req: Request{Path: "/acme/-/search?q=zebra", As: viewer}, status: 200,
			want: []string{"Nothing matches"}},
		{name: "search form", req: Request{Path: "/acme/-/search", As: viewer}, status: 200,
			notWant: []string{"Nothing matches"}},
		{name: "new page form", req: Request{Path: "/acme/-/new?prefix=Team/", As: editor}, status: 200,
			want: []string{`value="Team/"`, `action="/acme/-/new"`}},
		{name: "new page goes to its editor", req: Request{Path: "/acme/-/new?name=Team/Road%20Map", As: editor}, status: 303},
		{name: "new page that exists", req: Request{Path: "/acme/-/new?name=team/meeting%20notes", As: editor}, status: 409,
			want: []string{"already exists", `href="/acme/-/edit/Team/Meeting%20Notes"`}},
		{name: "new page with a bad name", req: Request{Path: "/acme/-/new?name=../etc/passwd", As: editor}, status: 400,
			want: []string{`role="alert"`}},
	})
	_, hdr, _ := ts.Do(t, Request{Path: "/acme/-/new?name=Team/Road%20Map", As: editor})
	if got := hdr.Get("Location"); got != "/acme/-/edit/Team/Road%20Map" {
		t.Fatalf("new page redirects to %q", got)
	}
	if pageText(t, ts, "Team/Road%20Map") != "" {
		t.Fatal("asking for a new page created it")
	}
}

// TestUISearchSnippetXSS searches a page whose text is markup: the snippet
// must show it as text, never as live HTML.
func TestUISearchSnippetXSS(t *testing.T) {
	ts := mustUIWiki(t)
	st, _, body := ts.Do(t, formPost("/acme/-/edit/Evil", editor,
		form("content", "# Evil\n\n`<script>alert(1)</script>` zebra `<img src=x onerror=alert(2)>`\n")))
	if st != http.StatusSeeOther {
		t.Fatalf("save: %d %s", st, body)
	}
	body = uiGet(t, ts, "/acme/-/search?q=zebra", viewer)
	mustContain(t, "search", body, `href="/acme/Evil"`, "&lt;script&gt;")
	mustNotContain(t, "search", body, "<script>alert", "<img src=x")
}
