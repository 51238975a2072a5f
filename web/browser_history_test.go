package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/warren-wiki/warren/wiki"
)

// TestBrowserRestoreFromHistory: in real Chromium an editor opens a page's
// history, presses "Restore this version" on the older entry, and lands on
// the page showing the old text again, with the restore as the newest
// change; the compare page names both revisions.
func TestBrowserRestoreFromHistory(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "alice", wiki.Private, nil)
	ts.MustGrant(t, "acme", editor, wiki.RoleEditor)
	v1 := putPage(t, ts, "/acme/-/api/pages/Notes", "alice", "# Notes\n\nthe original wording\n", "")
	putPage(t, ts, "/acme/-/api/pages/Notes", "alice", "# Notes\n\na vandalised line\n", v1)

	ctx, problems := startBrowser(t, editor)
	browserDo(t, ctx, "open the history",
		chromedp.Navigate(ts.URL+"/acme/-/history/Notes"),
		chromedp.WaitVisible(`button.restore[value="`+v1+`"]`),
	)
	screenshot(t, ctx, "history")
	browserDo(t, ctx, "compare the two revisions",
		chromedp.Click(`form button[type=submit]:not(.restore)`),
		chromedp.WaitVisible(`table.diff`),
	)
	if !evalBool(t, ctx, `document.querySelector('.compare').textContent.includes('From') && document.querySelectorAll('table.diff ins, table.diff del').length > 0`) {
		t.Error("the compare page does not name both sides or mark changed words")
	}
	screenshot(t, ctx, "compare")
	browserDo(t, ctx, "restore the first version",
		chromedp.Navigate(ts.URL+"/acme/-/history/Notes"),
		chromedp.WaitVisible(`button.restore[value="`+v1+`"]`),
		chromedp.Click(`button.restore[value="`+v1+`"]`),
		chromedp.WaitVisible(`.banner.ok`),
	)
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.markdown').textContent`))
	if err != nil || !strings.Contains(text, "the original wording") || strings.Contains(text, "vandalised") {
		t.Errorf("page after restore = %q, %v", text, err)
	}
	screenshot(t, ctx, "restored")
	if got := mustGetPage(t, ts, "/acme/-/api/pages/Notes", "alice").Content; got != "# Notes\n\nthe original wording\n" {
		t.Errorf("stored text after restore = %q", got)
	}
	_, _, hist := ts.Do(t, Request{Path: "/acme/-/api/pages/Notes/history", As: "alice"})
	if !strings.Contains(hist, "Restore Notes to revision "+v1[:8]) {
		t.Errorf("history lacks the restore: %s", hist)
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("browser problems: %v", p)
	}
}
