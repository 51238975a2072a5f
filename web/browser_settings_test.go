package web_test

import (
	"context"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/warren-wiki/warren/wiki"
)

// actAs makes the browser's next requests come from login (through the
// trusted proxy header), as when another person signs in.
func actAs(t *testing.T, ctx context.Context, login string) {
	t.Helper()
	if _, err := chromedp.Call(ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
		Headers: network.Headers{"X-Forwarded-User": login, "X-Forwarded-Email": login + "@example.org"},
	}); err != nil {
		t.Fatalf("act as %s: %v", login, err)
	}
}

// TestBrowserSettingsHideHistory: the wiki's admin ticks "hide history"
// on the settings page; a viewer then sees no History, Attachments or
// Changes link, the h shortcut does nothing, and the history URL answers
// 404. An editor keeps all of it.
func TestBrowserSettingsHideHistory(t *testing.T) {
	ts := mustUIWiki(t)
	ctx, problems := startBrowser(t, owner)
	navigate(t, ctx, ts, "/acme/-/settings")
	browserDo(t, ctx, "tick hide history",
		chromedp.Click(chromedp.CSS(`input[name="hide_history_from_viewers"]`)),
		chromedp.SetValue(chromedp.ID("warren-set-title"), "Acme Handbook"),
	)
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`#warren-settings button[type=submit]`)))
	if err != nil || resp.Status != 200 {
		t.Fatalf("save settings: %v %+v", err, resp)
	}
	if !evalBool(t, ctx, `document.querySelector('.banner.ok')?.textContent.includes('settings were saved') &&
		document.querySelector('input[name="hide_history_from_viewers"]').checked &&
		document.querySelector('.top a.brand').textContent === 'Acme Handbook'`) {
		t.Fatal("the settings page does not show the saved settings")
	}
	screenshot(t, ctx, "settings-saved")

	actAs(t, ctx, viewer)
	navigate(t, ctx, ts, "/acme/Team/Meeting%20Notes")
	if !evalBool(t, ctx, `!document.querySelector('a[href*="/-/history/"], a[href*="/-/attachments/"], a[href$="/-/changes"]') &&
		document.querySelector('.markdown h1')?.textContent === 'Meeting Notes'`) {
		t.Error("a viewer still sees links to history, attachments or changes")
	}
	browserDo(t, ctx, "press h", chromedp.KeyEvent("h"))
	if !evalBool(t, ctx, `location.pathname === '/acme/Team/Meeting%20Notes'`) {
		t.Error("the h shortcut led somewhere with history hidden")
	}
	resp, err = chromedp.RunResponse(ctx, chromedp.Navigate(ts.URL+"/acme/-/history/Team/Meeting%20Notes"))
	if err != nil || resp.Status != 404 {
		t.Fatalf("a viewer opening the history: %v %+v", err, resp)
	}
	screenshot(t, ctx, "viewer-history-refused")

	actAs(t, ctx, editor)
	navigate(t, ctx, ts, "/acme/Team/Meeting%20Notes")
	if !evalBool(t, ctx, `!!document.querySelector('.actions a[href*="/-/history/"]') && !!document.querySelector('.nav a[href$="/-/changes"]')`) {
		t.Error("an editor lost the history links")
	}
	checkConsole(t, problems, "status of 404 (Not Found) at "+ts.URL+"/acme/-/history/")
}

// TestBrowserSidebarTree: with the "tree" sidebar the page view shows the
// wiki's folders, the one holding the current page open and the page
// marked; a closed folder loads its children when opened, and so on down.
func TestBrowserSidebarTree(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", owner, wiki.Private, map[string]string{
		"Team/Meeting Notes": notesPage, "Team/Plans": "# Plans\n", "Docs/FAQ": "# FAQ\n",
		"Docs/Guide/Install": "# Install\n", "Docs/Guide/Upgrade": "# Upgrade\n", "Docs": "# Docs\n",
	})
	if st, body := patchSettings(t, ts, owner, `{"sidebar":"tree"}`); st != 200 {
		t.Fatalf("PATCH: %d %s", st, body)
	}
	ctx, problems := startBrowser(t, owner)
	navigate(t, ctx, ts, "/acme/Team/Meeting%20Notes")
	if !evalBool(t, ctx, `(() => {
		const tree = document.querySelector('nav.tree');
		const team = tree.querySelector('details[data-dir="Team"]');
		const docs = tree.querySelector('details[data-dir="Docs"]');
		const cur = tree.querySelector('a[aria-current="page"]');
		return team.open && !docs.open && cur && cur.textContent === 'Meeting Notes' && team.contains(cur) &&
			[...tree.querySelectorAll(':scope > ul > li')].length === 3;
	})()`) {
		t.Fatal("the tree does not open the current page's folder and mark the page")
	}
	browserDo(t, ctx, "open Docs", chromedp.Click(chromedp.CSS(`details[data-dir="Docs"] > summary`)))
	poll(t, ctx, "Docs did not load its children",
		`[...document.querySelectorAll('details[data-dir="Docs"] > ul > li')].map(li => li.firstElementChild.textContent || li.textContent).join() === 'FAQ,Guide'`)
	if !evalBool(t, ctx, `document.querySelector('details[data-dir="Docs"] > summary a')?.getAttribute('href') === '/acme/Docs'`) {
		t.Error("a folder that is also a page does not link the page")
	}
	browserDo(t, ctx, "open Guide", chromedp.Click(chromedp.CSS(`details[data-dir="Docs/Guide"] > summary`)))
	poll(t, ctx, "Guide did not load its pages",
		`[...document.querySelectorAll('details[data-dir="Docs/Guide"] a')].map(a => a.textContent).join() === 'Install,Upgrade'`)
	screenshot(t, ctx, "tree-opened")
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`details[data-dir="Docs/Guide"] a[href="/acme/Docs/Guide/Install"]`)))
	if err != nil || resp.Status != 200 {
		t.Fatalf("follow a tree link: %v %+v", err, resp)
	}
	browserDo(t, ctx, "wait for Install", chromedp.WaitVisible(chromedp.CSS("nav.tree")))
	if !evalBool(t, ctx, `document.querySelector('nav.tree a[aria-current="page"]')?.getAttribute('href') === '/acme/Docs/Guide/Install' &&
		document.querySelector('details[data-dir="Docs/Guide"]').open && !document.querySelector('details[data-dir="Team"]').open`) {
		t.Error("the tree does not follow the page shown")
	}
	checkConsole(t, problems)
}

// TestBrowserNewPagesOnPhone opens every page this work added at 390×844:
// nothing may scroll sideways.
func TestBrowserNewPagesOnPhone(t *testing.T) {
	ts := mustUIWiki(t)
	mustUpload(t, ts, "a-rather-long-file-name-of-an-attachment-that-goes-on-and-on.png", "png")
	if st, body := patchSettings(t, ts, owner, `{"sidebar":"tree","description":"A wiki with a long description that should wrap on a phone screen"}`); st != 200 {
		t.Fatalf("PATCH: %d %s", st, body)
	}
	ctx, problems := startBrowser(t, "root")
	browserDo(t, ctx, "phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile))
	const file = "a-rather-long-file-name-of-an-attachment-that-goes-on-and-on.png"
	for _, p := range []struct{ as, name, path string }{
		{owner, "settings", "/acme/-/settings"},
		{owner, "tree", "/acme/Team/Meeting%20Notes"},
		{owner, "attachments", "/acme/-/attachments/Team/Meeting%20Notes"},
		{owner, "attachment-history", "/acme/-/attachment-history/Team/Meeting%20Notes?name=" + file},
		{owner, "rename-attachment", "/acme/-/rename-attachment/Team/Meeting%20Notes?name=" + file},
		{"root", "wikis", "/"},
		{"root", "delete-wiki", "/-/wikis/delete?slug=acme"},
	} {
		actAs(t, ctx, p.as)
		navigate(t, ctx, ts, p.path)
		if !evalBool(t, ctx, `document.documentElement.scrollWidth <= window.innerWidth`) {
			w, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
			t.Errorf("%s scrolls sideways on a phone (width %d)", p.name, w)
		}
		screenshot(t, ctx, "phone-"+p.name)
	}
	checkConsole(t, problems)
}
