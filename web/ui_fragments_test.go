package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// TestPageFrameXSSThroughNames feeds markup through every user value the
// Go-built parts of the page frame show (page name in crumbs, actions and
// backlinks, the search query in the header) and checks it arrives escaped.
func TestPageFrameXSSThroughNames(t *testing.T) {
	ts := MustStartServer(t)
	evil := `X/<img src=x onerror=alert(1)> "zz" +1`
	ts.MustCreateWiki(t, "acme", "root", wiki.Public, map[string]string{
		evil:   "evil page, see [[Link]]",
		"Link": "a page",
	})
	ts.MustGrant(t, "acme", "ed", wiki.RoleEditor)
	path := "/acme/X/" + url.PathEscape(`<img src=x onerror=alert(1)> "zz" +1`)
	for _, r := range []Request{
		{Path: path, As: "ed"},
		{Path: path},
		{Path: "/acme/Link", As: "ed"},
		{Path: "/acme/-/search?q=" + url.QueryEscape(`"><img src=x onerror=alert(1)>`)},
	} {
		status, _, body := ts.Do(t, r)
		if status != http.StatusOK {
			t.Fatalf("GET %s: status %d", r.Path, status)
		}
		mustNotContain(t, r.Path, body, "<img src=x", `"zz"`, `"><img`)
	}
	_, _, body := ts.Do(t, Request{Path: path, As: "ed"})
	mustContain(t, "crumbs and actions", body,
		`<span aria-current="page">&lt;img src=x onerror=alert(1)&gt; &#34;zz&#34; &#43;1</span>`,
		`href="/acme/-/edit/X/%3Cimg%20src=x%20onerror=alert%281%29%3E%20%22zz%22%20&#43;1"`)
	_, _, body = ts.Do(t, Request{Path: "/acme/Link"})
	mustContain(t, "backlink", body, `>&lt;img src=x onerror=alert(1)&gt; &#34;zz&#34; &#43;1</a>`)
}
