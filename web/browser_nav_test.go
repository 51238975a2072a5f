package web_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/warren-wiki/warren/web"
	"github.com/warren-wiki/warren/wiki"
)

// checkConsole fails the test for every console error, exception or CSP
// violation the browser reported, except those containing an expected text.
func checkConsole(t *testing.T, problems func() []string, expected ...string) {
	t.Helper()
	for _, p := range problems() {
		if !slices.ContainsFunc(expected, func(e string) bool { return strings.Contains(p, e) }) {
			t.Errorf("browser console: %s", p)
		}
	}
}

// navigate opens a path and waits for the main content.
func navigate(t *testing.T, ctx context.Context, ts *TestServer, path string) {
	t.Helper()
	browserDo(t, ctx, "open "+path, chromedp.Navigate(ts.URL+path), chromedp.WaitVisible(chromedp.ID("warren-main")))
}

// pressAndLand presses keys outside any field and waits for the page at suffix.
func pressAndLand(t *testing.T, ctx context.Context, keys, suffix string) {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, chromedp.KeyEvent(keys))
	if err != nil || resp.Status != 200 || !strings.HasSuffix(resp.URL, suffix) {
		t.Fatalf("%s did not lead to %s: %v %+v", keys, suffix, err, resp)
	}
	browserDo(t, ctx, "wait for "+suffix, chromedp.WaitVisible(chromedp.ID("warren-main")))
}

// TestBrowserShortcuts opens the "?" overlay and follows g c, e and /.
func TestBrowserShortcuts(t *testing.T) {
	ts := mustUIWiki(t)
	ctx, problems := startBrowser(t, editor)
	navigate(t, ctx, ts, "/acme/Team/Meeting%20Notes")
	browserDo(t, ctx, "press ?", chromedp.KeyEvent("?"))
	poll(t, ctx, "? did not open the overlay", `document.getElementById('warren-keys-help')?.open === true`)
	if !evalBool(t, ctx, `(() => { const d = document.getElementById('warren-keys-help').textContent;
		return d.includes('Edit this page') && d.includes('Go to recent changes') && d.includes('Switch light and dark'); })()`) {
		t.Error("the overlay does not list the shortcuts")
	}
	browserDo(t, ctx, "press ? again", chromedp.KeyEvent("?"))
	poll(t, ctx, "? did not close the overlay", `document.getElementById('warren-keys-help').open === false`)

	pressAndLand(t, ctx, "gc", "/acme/-/changes")
	pressAndLand(t, ctx, "gh", "/acme/")
	browserDo(t, ctx, "press /", chromedp.KeyEvent("/"))
	poll(t, ctx, "/ did not focus the search box", `document.activeElement === document.querySelector('.search input')`)
	navigate(t, ctx, ts, "/acme/Team/Meeting%20Notes")
	pressAndLand(t, ctx, "e", "/acme/-/edit/Team/Meeting%20Notes")
	// Typing in the editor is text, not a shortcut.
	browserDo(t, ctx, "type g c in the editor", typeInto("warren-content", "gc"))
	if !evalBool(t, ctx, `location.pathname.endsWith('/-/edit/Team/Meeting%20Notes') && document.getElementById('warren-content').value.includes('gc')`) {
		t.Error("keys typed into the editor were taken as a shortcut")
	}
	checkConsole(t, problems)
}

// TestBrowserWikiListFilter checks the platform page: the create form
// comes first, and the filter box narrows the table as one types.
func TestBrowserWikiListFilter(t *testing.T) {
	ts := MustStartServer(t)
	for _, slug := range []string{"alpha", "beta-docs", "gamma"} {
		ts.MustCreateWiki(t, slug, "root", wiki.Private, nil)
	}
	ctx, problems := startBrowser(t, "root")
	navigate(t, ctx, ts, "/")
	if !evalBool(t, ctx, `!!(document.querySelector('.card.create').compareDocumentPosition(document.getElementById('warren-wikis')) & Node.DOCUMENT_POSITION_FOLLOWING)`) {
		t.Error("the create form is not above the wiki list")
	}
	browserDo(t, ctx, "filter", chromedp.WaitVisible(chromedp.ID("warren-filter")), typeInto("warren-filter", "DOC"))
	poll(t, ctx, "the filter did not narrow the list to beta-docs",
		`[...document.querySelectorAll('#warren-wikis tbody tr')].filter(r => !r.hidden).map(r => r.querySelector('a').textContent).join() === 'beta-docs'`)
	browserDo(t, ctx, "filter for nothing", typeInto("warren-filter", "zzz"))
	poll(t, ctx, "no 'no match' note", `!document.getElementById('warren-filter-none').hidden`)
	checkConsole(t, problems)
}

// TestBrowserAnonymousSignIn is an anonymous visitor of a public wiki: the
// header offers Sign in, and Edit leads to a page offering it too, with the
// way back to the editor; the theme switch is remembered.
func TestBrowserAnonymousSignIn(t *testing.T) {
	ts := MustStartServer(t, func(s *web.Server) { s.LoginURL = web.DefaultLoginURL("oauth2-proxy") })
	ts.MustCreateWiki(t, "open", "olive", wiki.Public, nil)
	ctx, problems := startBrowser(t, "")
	navigate(t, ctx, ts, "/open/")
	if !evalBool(t, ctx, `document.querySelector('.top a.signin')?.getAttribute('href') === '/oauth2/start?rd=%2Fopen%2F'`) {
		t.Error("the header does not offer Sign in with the way back")
	}
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`.actions a[href="/open/-/edit/Home"]`)))
	if err != nil || resp.Status != 401 {
		t.Fatalf("Edit as an anonymous visitor: %v %+v", err, resp)
	}
	if !evalBool(t, ctx, `document.getElementById('warren-signin')?.getAttribute('href') === '/oauth2/start?rd=%2Fopen%2F-%2Fedit%2FHome'`) {
		t.Error("the page behind Edit does not offer Sign in back to the editor")
	}

	navigate(t, ctx, ts, "/open/")
	light := evalBool(t, ctx, `getComputedStyle(document.body).backgroundColor === 'rgb(255, 255, 255)'`)
	browserDo(t, ctx, "switch the theme", chromedp.Click(chromedp.ID("warren-theme")))
	poll(t, ctx, "the theme did not switch", `getComputedStyle(document.body).backgroundColor !== 'rgb(255, 255, 255)' === `+boolJS(light))
	navigate(t, ctx, ts, "/open/-/pages")
	if evalBool(t, ctx, `getComputedStyle(document.body).backgroundColor === 'rgb(255, 255, 255)'`) == light {
		t.Error("the theme chosen was not remembered on the next page")
	}
	// The page behind Edit answers 401, which the browser notes as a failed load.
	checkConsole(t, problems, "status of 401 (Unauthorized) at "+ts.URL+"/open/-/edit/Home")
}

// boolJS writes a Go bool as JavaScript.
func boolJS(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// TestBrowserPhoneLayout opens every main page at 390×844: nothing scrolls
// sideways, the header takes at most a fifth of the screen, and the editor
// switches between writing and preview with tabs.
func TestBrowserPhoneLayout(t *testing.T) {
	ts := mustUIWiki(t)
	long := "a-really-long-attachment-name-that-does-not-fit-on-a-phone-screen-at-all.png"
	body := "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + long + "\"\r\nContent-Type: image/png\r\n\r\nnot really a png\r\n--x--\r\n"
	if st, _, b := ts.Do(t, Request{Method: "POST", Path: "/acme/-/attachments/Team/Meeting%20Notes", As: editor, Body: body,
		Headers: map[string]string{"Content-Type": "multipart/form-data; boundary=x"}}); st != 303 {
		t.Fatalf("upload: %d %s", st, b)
	}
	edit := "# Meeting Notes\n\n" + strings.Repeat("A long line of notes that goes on and on without end. ", 8) + "\n\n```\n" + strings.Repeat("x", 300) + "\n```\n"
	base, _ := editorState(t, ts, "Team/Meeting%20Notes", editor)
	if st, _, b := ts.Do(t, formPost("/acme/-/edit/Team/Meeting%20Notes", editor, form("content", edit, "base_revision", base))); st != 303 {
		t.Fatalf("save: %d %s", st, b)
	}
	var hist struct{ History []struct{ Revision string } }
	_, _, hb := ts.Do(t, Request{Path: "/acme/-/api/pages/Team/Meeting%20Notes/history", As: owner})
	MustJSON(t, hb, &hist)
	if len(hist.History) < 2 {
		t.Fatalf("history: %s", hb)
	}
	diff := "/acme/-/diff/Team/Meeting%20Notes?from=" + hist.History[len(hist.History)-1].Revision + "&to=" + hist.History[0].Revision

	ctx, problems := startBrowser(t, owner)
	browserDo(t, ctx, "phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile))
	for _, p := range []struct{ name, path string }{
		{"view", "/acme/Team/Meeting%20Notes"}, {"edit", "/acme/-/edit/Team/Meeting%20Notes"},
		{"history", "/acme/-/history/Team/Meeting%20Notes"}, {"diff", diff}, {"changes", "/acme/-/changes"},
		{"attachments", "/acme/-/attachments/Team/Meeting%20Notes"}, {"wikis", "/"},
		{"search", "/acme/-/search?q=notes"}, {"pages", "/acme/-/pages"},
	} {
		navigate(t, ctx, ts, p.path)
		if !evalBool(t, ctx, `document.documentElement.scrollWidth <= window.innerWidth`) {
			w, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
			t.Errorf("%s scrolls sideways on a phone (width %d)", p.name, w)
		}
		if !evalBool(t, ctx, `document.querySelector('header.top').getBoundingClientRect().height <= window.innerHeight / 5`) {
			h, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector('header.top').getBoundingClientRect().height`))
			t.Errorf("%s: the header is %.0f px high, more than a fifth of the screen", p.name, h)
		}
		screenshot(t, ctx, "phone-"+p.name)
	}
	navigate(t, ctx, ts, "/acme/-/edit/Team/Meeting%20Notes")
	if !evalBool(t, ctx, `getComputedStyle(document.getElementById('warren-pane-preview')).display === 'none' && getComputedStyle(document.getElementById('warren-content')).display !== 'none'`) {
		t.Error("the phone editor does not start on the Write tab")
	}
	browserDo(t, ctx, "open the preview tab", chromedp.Click(chromedp.ID("warren-tab-preview")))
	poll(t, ctx, "the Preview tab does not show the preview instead of the text",
		`getComputedStyle(document.getElementById('warren-pane-write')).display === 'none' && document.getElementById('warren-preview').getBoundingClientRect().height > 0`)
	screenshot(t, ctx, "phone-preview")
	checkConsole(t, problems)
}
