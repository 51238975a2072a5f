package web_test

import (
	"strings"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// TestImportGitHubWiki: a GitHub wiki (hyphenated file names, a flat
// namespace with a page in a folder, _Sidebar and _Footer, README.md as a
// symlink to Home.md, [[Text|Page]] links) works as it did on GitHub.
func TestImportGitHubWiki(t *testing.T) {
	ts := MustStartServer(t)
	f := newFixture(t)
	f.write(map[string]string{
		"Home.md": "# Project wiki\n\n" +
			"- [[Getting Started]]\n- [[Install guide|Installation-Guide]]\n- [[FAQ]]\n- [[Sub Page]]\n" +
			"- [relative](Getting-Started)\n- [with extension](Installation-Guide.md#linux)\n- [[Nobody Wrote This]]\n",
		"Getting-Started.md":    "# Getting started\n\nBack [[Home]].\n",
		"Installation-Guide.md": "# Installation\n\n## Linux\n",
		"faq.md":                "# FAQ\n",
		"sub/Sub-Page.md":       "# Sub page\n\n[[Back home|Home]]\n",
		"_Sidebar.md":           "**Navigation**\n\n* [[Home]]\n* [[Getting Started]]\n",
		"_Footer.md":            "Footer: licensed CC-BY.\n",
	})
	f.symlink("README.md", "Home.md")
	f.commit("GitHub wiki")
	f.pushInto(ts, "gh", nil)

	assertLinks(t, ts, "/gh/", map[string]string{
		"Getting Started":   "/gh/Getting-Started",
		"Install guide":     "/gh/Installation-Guide",
		"FAQ":               "/gh/faq",
		"Sub Page":          "/gh/sub/Sub-Page",
		"relative":          "/gh/Getting-Started",
		"with extension":    "/gh/Installation-Guide#linux",
		"Nobody Wrote This": "/gh/-/edit/Nobody%20Wrote%20This",
	})
	assertLinks(t, ts, "/gh/sub/Sub-Page", map[string]string{"Back home": "/gh/Home"})
	// URLs find pages the way links do.
	for _, path := range []string{"/gh/Getting%20Started", "/gh/getting-started", "/gh/Sub-Page"} {
		if status, _, body := ts.Do(t, Request{Path: path}); status != 200 || !strings.Contains(body, "<h1") {
			t.Errorf("GET %s = %d", path, status)
		}
	}
	// The sidebar and footer show beside and under every page, not as pages.
	_, _, body := ts.Do(t, Request{Path: "/gh/sub/Sub-Page"})
	if !strings.Contains(body, `class="wiki-sidebar`) || !strings.Contains(body, "<strong>Navigation</strong>") ||
		!strings.Contains(body, "Footer: licensed CC-BY.") {
		t.Errorf("sidebar or footer missing:\n%s", body)
	}
	_, _, index := ts.Do(t, Request{Path: "/gh/-/pages"})
	if strings.Contains(index, "_Sidebar") || strings.Contains(index, "_Footer") {
		t.Errorf("the index lists the sidebar or footer:\n%s", index)
	}
	// The symlink is kept in git but never served.
	for _, path := range []string{"/gh/README", "/gh/README.md", "/gh/-/files/README.md"} {
		if status, _, body := ts.Do(t, Request{Path: path}); status != 404 || strings.Contains(body, "Project wiki") {
			t.Errorf("GET %s = %d: the symlink is served", path, status)
		}
	}
	f.assertEveryPageReachable(ts, "gh")
	f.assertClonesBack(ts, "gh")

	// The API finds pages as links do, and an update goes to that file.
	status, hdr, body := ts.Do(t, Request{Path: "/gh/-/api/pages/Getting%20Started", As: "owner"})
	if status != 200 || !strings.Contains(body, `"path":"Getting-Started"`) {
		t.Fatalf("API GET by the linked name = %d %s", status, body)
	}
	status, _, body = ts.Do(t, Request{Method: "PUT", Path: "/gh/-/api/pages/Getting%20Started", As: "owner",
		Headers: map[string]string{"If-Match": hdr.Get("ETag")}, Body: `{"content": "# Getting started\n\nNew.\n"}`})
	if status != 200 || !strings.Contains(body, `"path":"Getting-Started"`) {
		t.Errorf("API PUT by the linked name = %d %s", status, body)
	}
}

// TestImportOtterWiki: An Otter Wiki repository (lower-case file names,
// attachment folders beside pages, root-absolute links, /{page}/{file}
// images, ./file attachments, {{PageIndex}}, a page named like an
// attachment) works as it did in An Otter Wiki.
func TestImportOtterWiki(t *testing.T) {
	ts := MustStartServer(t)
	f := newFixture(t)
	png := "\x89PNG\r\n\x1a\n fake image"
	f.write(map[string]string{
		"home.md": "# Welcome\n\n[[Setup Guide|Installation]] and [root link](/Installation) and " +
			"[[Configuration/Advanced]]\n\n![Logo](/Home/logo.png)\n\n![Diagram](./diagram.png)\n",
		"home/logo.png":              png,
		"home/diagram.png":           png,
		"installation.md":            "# Installation\n\n![Screen](/Installation/screen.png)\n",
		"installation/screen.png":    png,
		"installation/screen.png.md": "# A page named like an attachment\n",
		"configuration.md":           "# Configuration\n\n{{PageIndex}}\n",
		"configuration/advanced.md":  "# Advanced\n\n[up](../configuration.md) [[home]]\n",
		"configuration/network.md":   "# Network\n",
	})
	f.commit("otter wiki")
	f.pushInto(ts, "ow", nil)

	assertLinks(t, ts, "/ow/", map[string]string{
		"Setup Guide":            "/ow/installation",
		"root link":              "/ow/installation",
		"Configuration/Advanced": "/ow/configuration/advanced",
		"img:Logo":               "/ow/-/files/home/logo.png",
		"img:Diagram":            "/ow/-/files/home/diagram.png",
	})
	assertLinks(t, ts, "/ow/configuration/advanced", map[string]string{"up": "/ow/configuration", "home": "/ow/home"})
	assertLinks(t, ts, "/ow/configuration", map[string]string{"Advanced": "/ow/configuration/advanced", "Network": "/ow/configuration/network"})
	// /{page}/{file} serves the attachment, unless a page has that name.
	status, hdr, body := ts.Do(t, Request{Path: "/ow/Home/logo.png"})
	if status != 200 || body != png || hdr.Get("Content-Type") != "image/png" {
		t.Errorf("GET /ow/Home/logo.png = %d %q %q", status, hdr.Get("Content-Type"), body)
	}
	if status, _, body := ts.Do(t, Request{Path: "/ow/installation/screen.png"}); status != 200 || !strings.Contains(body, "A page named like an attachment") {
		t.Errorf("the page named like an attachment = %d", status)
	}
	if status, _, body := ts.Do(t, Request{Path: "/ow/-/files/installation/screen.png"}); status != 200 || body != png {
		t.Errorf("the attachment shadowed by a page = %d", status)
	}
	f.assertEveryPageReachable(ts, "ow")
	f.assertClonesBack(ts, "ow")
}

// TestImportObsidianVault: an Obsidian vault ([[Page|Text]] links, notes
// found by base name anywhere, the shortest path winning, embeds with a
// size, transclusion of a section, aliases and titles from front matter,
// nested folders) works as it did in Obsidian.
func TestImportObsidianVault(t *testing.T) {
	ts := MustStartServer(t)
	f := newFixture(t)
	f.write(map[string]string{
		"Notes/Projects/Alpha.md": "# Alpha\n\nSee [[Beta]], [[Meeting Notes|the meeting]], [[Standup]] and [[Old/Beta|the old one]].\n\n" +
			"![[diagram.png]]\n\nSmall: ![[diagram.png|300]]\n\n![[Shared#Part Two]]\n",
		"Notes/Beta.md":             "# Beta (the near one)\n",
		"Archive/Old/Beta.md":       "# Beta (archived)\n",
		"Meetings/Meeting Notes.md": "---\ntitle: Weekly meeting\naliases: [Standup]\n---\n\nNotes.\n",
		"Shared.md":                 "# Part One\n\nfirst part\n\n# Part Two\n\nsecond part\n",
		"Loop A.md":                 "A\n\n![[Loop B]]\n",
		"Loop B.md":                 "B\n\n![[Loop A]]\n",
		"attachments/diagram.png":   "\x89PNG fake",
		".obsidian/app.json":        "{}\n",
	})
	f.commit("vault")
	prefs := wiki.DefaultPreferences()
	prefs.LinkStyle = wiki.LinkPageText
	f.pushInto(ts, "ob", &prefs)

	assertLinks(t, ts, "/ob/Notes/Projects/Alpha", map[string]string{
		"Beta":            "/ob/Notes/Beta",
		"the meeting":     "/ob/Meetings/Meeting%20Notes",
		"Standup":         "/ob/Meetings/Meeting%20Notes",
		"the old one":     "/ob/Archive/Old/Beta",
		"img:diagram.png": "/ob/-/files/attachments/diagram.png",
	})
	_, _, body := ts.Do(t, Request{Path: "/ob/Notes/Projects/Alpha"})
	if !strings.Contains(body, `width="300"`) || !strings.Contains(body, "second part") || strings.Contains(body, "first part") {
		t.Errorf("embed size or transcluded section wrong:\n%s", body)
	}
	_, _, body = ts.Do(t, Request{Path: "/ob/Loop%20A"})
	if strings.Count(body, "<p>A</p>") != 1 || strings.Count(body, "<p>B</p>") != 1 || !strings.Contains(body, "transclusion stopped") {
		t.Errorf("the transclusion loop is not stopped once:\n%s", body)
	}
	_, _, index := ts.Do(t, Request{Path: "/ob/-/pages?prefix=Meetings/"})
	if !strings.Contains(index, "Weekly meeting") {
		t.Errorf("the front matter's title is not the page title:\n%s", index)
	}
	f.assertEveryPageReachable(ts, "ob")
	f.assertClonesBack(ts, "ob")
}
