package main_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// wikiSettings runs `warren wiki set` and decodes the settings it prints.
func wikiSettings(t *testing.T, c cli, args ...string) map[string]any {
	t.Helper()
	var s map[string]any
	out := c.ok(append([]string{"wiki", "set"}, args...)...)
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("wiki set printed %q: %v", out, err)
	}
	return s
}

// TestWikiSet changes every setting from the command line, finds title and
// visibility in the wiki list (robot.db) and the rest on the next read,
// and ignores WARREN_* variables for the settings themselves.
func TestWikiSet(t *testing.T) {
	data := t.TempDir()
	c := cli{t: t}
	c.ok("wiki", "create", "--data", data, "--owner", "olivia", "acme")
	s := wikiSettings(t, c, "--data", data, "acme")
	if s["title"] != "acme" || s["visibility"] != "private" || s["sidebar"] != "page" || s["hide_history_from_viewers"] != false {
		t.Fatalf("defaults: %v", s)
	}
	s = wikiSettings(t, c, "--data", data, "--title", "Acme Docs", "--visibility", "public", "--home", "Start",
		"--link-style", "page|text", "--sidebar", "tree", "--description", "Our docs", "--hide-history",
		"--require-message", "--new-page-template", "# {{title}}\n", "acme")
	want := map[string]any{"title": "Acme Docs", "visibility": "public", "home": "Start", "link_style": "page|text",
		"sidebar": "tree", "description": "Our docs", "hide_history_from_viewers": true, "require_message": true,
		"new_page_template": "# {{title}}\n"}
	for k, v := range want {
		if s[k] != v {
			t.Errorf("%s = %v, want %v", k, s[k], v)
		}
	}
	if ws := wikiList(t, c, data); ws["acme"]["title"] != "Acme Docs" || ws["acme"]["visibility"] != "public" {
		t.Errorf("wiki list after set: %v", ws["acme"])
	}
	// Only the flags given change; settings never come from the environment.
	env := cli{t: t, env: []string{"WARREN_VISIBILITY=private", "WARREN_TITLE=Env", "WARREN_HIDE_HISTORY=false"}}
	s = wikiSettings(t, env, "--data", data, "--hide-history=false", "acme")
	if s["hide_history_from_viewers"] != false || s["visibility"] != "public" || s["title"] != "Acme Docs" || s["sidebar"] != "tree" {
		t.Errorf("after --hide-history=false with WARREN_* set: %v", s)
	}
}

// TestWikiSetRefused: bad values and unknown wikis exit 2 with one line and
// change nothing.
func TestWikiSetRefused(t *testing.T) {
	data := t.TempDir()
	c := cli{t: t}
	c.ok("wiki", "create", "--data", data, "acme")
	before := snapshot(t, data)
	beforeSettings := c.ok("wiki", "set", "--data", data, "acme")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown visibility", []string{"--visibility", "everyone", "acme"}, "invalid visibility"},
		{"unknown sidebar", []string{"--sidebar", "left", "acme"}, "sidebar must be"},
		{"unknown link style", []string{"--link-style", "wiki", "acme"}, "link_style must be"},
		{"home escaping the wiki", []string{"--home", "../x", "acme"}, "home:"},
		{"bad value beside a good one", []string{"--title", "New", "--sidebar", "x", "acme"}, "sidebar must be"},
		{"unknown wiki", []string{"--title", "x", "ghost"}, "ghost"},
		{"no slug", []string{"--title", "x"}, "usage: warren wiki set"},
		{"bad boolean", []string{"--hide-history=maybe", "acme"}, "invalid argument"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := c.run(append([]string{"wiki", "set", "--data", data}, tc.args...)...)
			if r.code != 2 || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", r.code, r.stderr, tc.want)
			}
			if after := snapshot(t, data); after != before {
				t.Errorf("robot.db changed:\nbefore %s\nafter  %s", before, after)
			}
			if got := c.ok("wiki", "set", "--data", data, "acme"); got != beforeSettings {
				t.Errorf("settings changed:\n%s", got)
			}
		})
	}
}
