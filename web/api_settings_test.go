package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// getSettings reads the settings through the API as the owner.
func getSettings(t *testing.T, ts *TestServer) wiki.Settings {
	t.Helper()
	st, _, body := ts.Do(t, Request{Path: "/acme/-/api/settings", As: owner})
	if st != 200 {
		t.Fatalf("GET settings: %d %s", st, body)
	}
	var s wiki.Settings
	MustJSON(t, body, &s)
	return s
}

// patchSettings sends a PATCH as login and returns status and body.
func patchSettings(t *testing.T, ts *TestServer, as, body string) (int, string) {
	t.Helper()
	st, _, b := ts.Do(t, Request{Method: "PATCH", Path: "/acme/-/api/settings", As: as, Body: body,
		Headers: map[string]string{"Content-Type": "application/json"}})
	return st, b
}

// TestAPISettingsRoundTrip changes every setting with one PATCH and finds
// each where it belongs: title and visibility in robot.db, the rest in
// wiki.db, both audited with the actor.
func TestAPISettingsRoundTrip(t *testing.T) {
	ts := mustUIWiki(t)
	before := getSettings(t, ts)
	if before.Title != "acme" || before.Visibility != wiki.Private || before.Sidebar != wiki.SidebarPage || before.LinkStyle != wiki.LinkTextPage {
		t.Fatalf("defaults: %+v", before)
	}
	st, body := patchSettings(t, ts, owner, `{"title":"Acme Docs","description":"What we know","home":"Team/Meeting Notes",
		"visibility":"internal","link_style":"page|text","sidebar":"tree","hide_history_from_viewers":true,
		"require_message":true,"new_page_template":"# {{title}}\n\nOwner: \n"}`)
	if st != 200 {
		t.Fatalf("PATCH: %d %s", st, body)
	}
	got := getSettings(t, ts)
	want := wiki.Settings{Title: "Acme Docs", Visibility: wiki.Internal, Preferences: wiki.Preferences{
		Description: "What we know", Home: "Team/Meeting Notes", LinkStyle: wiki.LinkPageText, Sidebar: wiki.SidebarTree,
		HideHistoryFromViewers: true, RequireMessage: true, NewPageTemplate: "# {{title}}\n\nOwner: \n"}}
	if got != want {
		t.Fatalf("settings after PATCH:\n got %+v\nwant %+v", got, want)
	}
	w, err := ts.Robot.FindWiki(context.Background(), "acme")
	if err != nil || w.Title != "Acme Docs" || w.Visibility != wiki.Internal {
		t.Fatalf("robot.db row: %+v %v", w, err)
	}
	audit, err := ts.Robot.AuditLog(context.Background(), "acme", 10)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, a := range audit {
		if a.Actor == owner {
			actions = append(actions, a.Action)
		}
	}
	if j := strings.Join(actions, ","); !strings.Contains(j, "wiki.update") || !strings.Contains(j, "wiki.settings") {
		t.Errorf("audit by %s: %v", owner, actions)
	}
	// The root shows the home page the settings name.
	if _, _, body := ts.Do(t, Request{Path: "/acme/", As: owner}); !strings.Contains(body, "<h1") || !strings.Contains(body, "Agenda") {
		t.Errorf("the root does not show Team/Meeting Notes")
	}
	// A partial PATCH leaves the other settings alone.
	if st, body := patchSettings(t, ts, owner, `{"sidebar":"off"}`); st != 200 {
		t.Fatalf("partial PATCH: %d %s", st, body)
	}
	want.Sidebar = wiki.SidebarOff
	if got := getSettings(t, ts); got != want {
		t.Fatalf("after partial PATCH: %+v", got)
	}
}

// TestAPISettingsRefused: non-admins get 403 (or 404 when they cannot read
// the wiki), unknown values, fields and types 400, and nothing changes.
func TestAPISettingsRefused(t *testing.T) {
	ts := mustUIWiki(t)
	before := getSettings(t, ts)
	for _, c := range []struct {
		name, as, body string
		status         int
	}{
		{"editor is not an admin", editor, `{"title":"Mine"}`, 403},
		{"viewer is not an admin", viewer, `{"hide_history_from_viewers":false}`, 403},
		{"stranger learns nothing", nobody, `{"visibility":"public"}`, 404},
		{"anonymous is asked to sign in", "", `{"visibility":"public"}`, 404},
		{"unknown visibility", owner, `{"visibility":"everyone"}`, 400},
		{"unknown link style", owner, `{"link_style":"page"}`, 400},
		{"unknown sidebar", owner, `{"sidebar":"left"}`, 400},
		{"misspelt field", owner, `{"sidebars":"tree"}`, 400},
		{"boolean as a string", owner, `{"require_message":"yes"}`, 400},
		{"home outside the wiki", owner, `{"home":"../etc/passwd"}`, 400},
		{"home in .git", owner, `{"home":".git/config"}`, 400},
		{"description with a newline", owner, `{"description":"two\nlines"}`, 400},
		{"title with control characters", owner, `{"title":"bell\u0007"}`, 400},
		{"title too long", owner, `{"title":"` + strings.Repeat("t", 201) + `"}`, 400},
		{"template too large", owner, `{"new_page_template":"` + strings.Repeat("x", 65<<10) + `"}`, 400},
		{"a good value beside a bad one", owner, `{"title":"Changed","sidebar":"nope"}`, 400},
		{"not JSON", owner, `title=x`, 400},
		{"two objects", owner, `{"title":"a"}{"title":"b"}`, 400},
	} {
		t.Run(c.name, func(t *testing.T) {
			st, body := patchSettings(t, ts, c.as, c.body)
			if st != c.status {
				t.Fatalf("status %d, want %d: %s", st, c.status, body)
			}
			if got := getSettings(t, ts); got != before {
				t.Fatalf("settings changed:\n got %+v\nwant %+v", got, before)
			}
		})
	}
	if st, _, _ := ts.Do(t, Request{Path: "/acme/-/api/settings", As: editor}); st != 403 {
		t.Errorf("GET settings as an editor: %d, want 403", st)
	}
}

// TestRequireMessage: with require_message on, saves without a message are
// refused by the browser form (the editor comes back with the text), the
// API (400) and nothing is committed; with one they pass.
func TestRequireMessage(t *testing.T) {
	ts := mustUIWiki(t)
	if st, body := patchSettings(t, ts, owner, `{"require_message":true}`); st != 200 {
		t.Fatalf("PATCH: %d %s", st, body)
	}
	base, _ := editorState(t, ts, "Team/Meeting%20Notes", editor)
	st, _, body := ts.Do(t, formPost("/acme/-/edit/Team/Meeting%20Notes", editor,
		form("content", "# Notes\n\nkept text\n", "base_revision", base, "message", "  ")))
	if st != 400 {
		t.Fatalf("save without a message: %d", st)
	}
	mustContain(t, "refused editor", body, "requires a commit message", "kept text", `required placeholder=`)
	if got := pageText(t, ts, "Team/Meeting%20Notes"); strings.Contains(got, "kept text") {
		t.Fatal("a save without a message was committed")
	}
	if st, _, _ := ts.Do(t, formPost("/acme/-/edit/Team/Meeting%20Notes", editor,
		form("content", "# Notes\n\nkept text\n", "base_revision", base, "message", "why"))); st != 303 {
		t.Fatalf("save with a message: %d", st)
	}
	st, _, body = ts.Do(t, Request{Method: "PUT", Path: "/acme/-/api/pages/New", As: editor, Body: `{"content":"x"}`})
	if st != 400 || !strings.Contains(body, "commit message") {
		t.Fatalf("API save without a message: %d %s", st, body)
	}
	if st, _, body := ts.Do(t, Request{Method: "PUT", Path: "/acme/-/api/pages/New", As: editor, Body: `{"content":"x","message":"new"}`}); st != 201 {
		t.Fatalf("API save with a message: %d %s", st, body)
	}
}

// TestNewPageTemplate: the editor of a page that does not exist starts
// with the wiki's template, its {{title}} filled in; existing pages are not
// touched by it.
func TestNewPageTemplate(t *testing.T) {
	ts := mustUIWiki(t)
	if st, body := patchSettings(t, ts, owner, `{"new_page_template":"# {{title}}\n\n## Owner\n\n## Status\n"}`); st != 200 {
		t.Fatalf("PATCH: %d %s", st, body)
	}
	_, text := editorState(t, ts, "Projects/Big%20Plan", editor)
	if text != "# Big Plan\n\n## Owner\n\n## Status\n" {
		t.Fatalf("new page editor text: %q", text)
	}
	if _, text := editorState(t, ts, "Team/Meeting%20Notes", editor); text != notesPage {
		t.Fatalf("existing page editor text changed: %q", text)
	}
}

// TestHideHistoryRoutes: with hide_history_from_viewers, a viewer gets 404
// from every history route (browser and API) and no link to one; editors
// keep everything.
func TestHideHistoryRoutes(t *testing.T) {
	ts := mustUIWiki(t)
	var hist struct{ History []struct{ Revision string } }
	_, _, hb := ts.Do(t, Request{Path: "/acme/-/api/pages/Team/Meeting%20Notes/history", As: owner})
	MustJSON(t, hb, &hist)
	rev := hist.History[0].Revision
	routes := []string{
		"/acme/-/history/Team/Meeting%20Notes",
		"/acme/-/diff/Team/Meeting%20Notes?from=" + rev + "&to=" + rev,
		"/acme/-/changes",
		"/acme/-/attachments/Team/Meeting%20Notes",
		"/acme/Team/Meeting%20Notes?rev=" + rev,
		"/acme/-/api/pages/Team/Meeting%20Notes/history",
		"/acme/-/api/pages/Team/Meeting%20Notes/attachments",
		"/acme/-/api/pages/Team/Meeting%20Notes?rev=" + rev,
		"/acme/-/api/changes",
		"/acme/-/blame/Team/Meeting%20Notes",
		"/acme/-/commit/" + rev,
		"/acme/-/feed",
		"/acme/-/feed/Team/Meeting%20Notes",
		"/acme/-/api/blame/Team/Meeting%20Notes",
		"/acme/-/api/commits/" + rev,
		"/acme/-/api/raw/Team/Meeting%20Notes?revision=" + rev,
	}
	for _, p := range routes {
		if st, _, _ := ts.Do(t, Request{Path: p, As: viewer}); st != 200 {
			t.Fatalf("before hiding, viewer GET %s: %d", p, st)
		}
	}
	if st, body := patchSettings(t, ts, owner, `{"hide_history_from_viewers":true}`); st != 200 {
		t.Fatalf("PATCH: %d %s", st, body)
	}
	for _, p := range routes {
		if st, _, body := ts.Do(t, Request{Path: p, As: viewer}); st != 404 {
			t.Errorf("viewer GET %s: %d, want 404\n%s", p, st, body)
		}
		if st, _, _ := ts.Do(t, Request{Path: p, As: editor}); st != 200 {
			t.Errorf("editor GET %s: %d, want 200", p, st)
		}
	}
	_, _, page := ts.Do(t, Request{Path: "/acme/Team/Meeting%20Notes", As: viewer})
	mustNotContain(t, "viewer's page", page, "/-/history/", "/-/attachments/", "/-/changes", "Last changed", "/-/feed")
	mustContain(t, "viewer's page", page, "Meeting Notes")
	_, _, page = ts.Do(t, Request{Path: "/acme/Team/Meeting%20Notes", As: editor})
	mustContain(t, "editor's page", page, "/-/history/", "/-/attachments/", "/-/changes", "Last changed")
}

// TestHideHistoryMCP: MCP's history tools answer a viewer with a tool
// error once history is hidden; reading the current page still works, and
// an editor's tools are unaffected.
func TestHideHistoryMCP(t *testing.T) {
	ts := mustUIWiki(t)
	if st, body := patchSettings(t, ts, owner, `{"hide_history_from_viewers":true}`); st != 200 {
		t.Fatalf("PATCH: %d %s", st, body)
	}
	var hist struct{ History []struct{ Revision string } }
	_, _, hb := ts.Do(t, Request{Path: "/acme/-/api/pages/Team/Meeting%20Notes/history", As: owner})
	MustJSON(t, hb, &hist)
	rev := hist.History[0].Revision
	calls := map[string]map[string]any{
		"page_history":   {"path": "Team/Meeting Notes"},
		"recent_changes": {},
		"diff":           {"path": "Team/Meeting Notes", "to": rev},
		"read_revision":  {"path": "Team/Meeting Notes", "revision": rev},
	}
	v := mustConnectMCP(t, ts, "acme", bearer(mustToken(t, ts, viewer, "acme", wiki.RoleViewer)), modernEra)
	e := mustConnectMCP(t, ts, "acme", bearer(mustToken(t, ts, editor, "acme", wiki.RoleEditor)), modernEra)
	for name, args := range calls {
		if res, err := v.call(t, name, args); err == nil && (res == nil || !res.IsError) {
			t.Errorf("viewer's %s with history hidden: %+v", name, res)
		}
		if res, err := e.call(t, name, args); err != nil || res.IsError {
			t.Errorf("editor's %s: %v %+v", name, err, res)
		}
	}
	if res, err := v.call(t, "read_page", map[string]any{"path": "Team/Meeting Notes"}); err != nil || res.IsError {
		t.Errorf("viewer's read_page: %v %+v", err, res)
	}
}
