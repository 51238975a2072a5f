package robot_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/internal/storetest"
	"github.com/warren-wiki/warren/storage/robot"
	"github.com/warren-wiki/warren/wiki"
)

var homeFiles = []gitrepo.FileChange{{Path: "Home.md", Content: []byte("# Welcome\n")}}

func mustCreateWiki(tb testing.TB, r *robot.Robot, data string, w wiki.Wiki) {
	tb.Helper()
	if err := r.CreateWiki(context.Background(), "test", w, homeFiles); err != nil {
		tb.Fatalf("CreateWiki %s: %v", w.Slug, err)
	}
}

// wikisEntries lists DATA/wikis, leftovers (dot-directories) included.
func wikisEntries(tb testing.TB, data string) []string {
	tb.Helper()
	es, err := os.ReadDir(filepath.Join(data, "wikis"))
	if os.IsNotExist(err) {
		return nil
	} else if err != nil {
		tb.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

func TestCreateWiki(t *testing.T) {
	r, clock, data := MustOpenRobot(t)
	ctx := context.Background()
	mustCreateWiki(t, r, data, wiki.Wiki{Slug: "acme", Owner: "olivia", Visibility: wiki.Internal})
	w, err := r.FindWiki(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if w.Title != "acme" || w.Owner != "olivia" || w.Visibility != wiki.Internal || !w.CreatedAt.Equal(clock.Now()) {
		t.Fatalf("row = %+v", w)
	}
	gs, _ := r.Grants(ctx, "acme")
	if len(gs) != 1 || gs[0].Principal != "olivia" || gs[0].Role != "admin" {
		t.Fatalf("grants = %+v, want olivia admin", gs)
	}
	if got := wikisEntries(t, data); strings.Join(got, ",") != "acme" {
		t.Fatalf("DATA/wikis = %v, want only acme", got)
	}
	// The real git client reads the repository: branch main, Home.md.
	dir := filepath.Join(robot.WikiDir(data, "acme"), "repo.git")
	out, err := exec.Command("git", "--git-dir", dir, "show", "main:Home.md").CombinedOutput()
	if err != nil || string(out) != "# Welcome\n" {
		t.Fatalf("git show main:Home.md = %q, %v", out, err)
	}
	if out, err := exec.Command("git", "--git-dir", dir, "fsck", "--strict").CombinedOutput(); err != nil {
		t.Fatalf("git fsck: %v\n%s", err, out)
	}
}

func TestCreateWikiDefaults(t *testing.T) {
	r, _, data := MustOpenRobot(t)
	mustCreateWiki(t, r, data, wiki.Wiki{Slug: "plain", Title: "  Plain Wiki  "})
	w, _ := r.FindWiki(context.Background(), "plain")
	if w.Title != "Plain Wiki" || w.Visibility != wiki.Private || w.Owner != "" {
		t.Fatalf("row = %+v", w)
	}
	if gs, _ := r.Grants(context.Background(), "plain"); len(gs) != 0 {
		t.Fatalf("wiki without owner has grants %+v", gs)
	}
}

func TestCreateWikiExists(t *testing.T) {
	r, _, data := MustOpenRobot(t)
	mustCreateWiki(t, r, data, wiki.Wiki{Slug: "acme", Title: "First"})
	err := r.CreateWiki(context.Background(), "test", wiki.Wiki{Slug: "acme", Title: "Second"}, homeFiles)
	storetest.WantCode(t, err, wiki.EEXISTS)
	w, _ := r.FindWiki(context.Background(), "acme")
	if w.Title != "First" {
		t.Fatalf("existing wiki changed: %+v", w)
	}
	if got := wikisEntries(t, data); strings.Join(got, ",") != "acme" {
		t.Fatalf("DATA/wikis = %v after refused create", got)
	}
}

// TestCreateWikiBadInput names each refused create; none leaves a row, a
// grant, an audit line or a directory behind.
func TestCreateWikiBadInput(t *testing.T) {
	r, _, data := MustOpenRobot(t)
	cases := map[string]wiki.Wiki{
		"empty slug":            {Slug: ""},
		"one character":         {Slug: "a"},
		"upper case":            {Slug: "Acme"},
		"leading dash":          {Slug: "-acme"},
		"trailing dash":         {Slug: "acme-"},
		"dot":                   {Slug: "ac.me"},
		"path traversal":        {Slug: "../evil"},
		"leftover-looking name": {Slug: ".creating-acme"},
		"too long":              {Slug: strings.Repeat("a", 64)},
		"reserved www":          {Slug: "www"},
		"reserved api":          {Slug: "api"},
		"reserved admin":        {Slug: "admin"},
		"bad visibility":        {Slug: "acme", Visibility: "secret"},
		"group as owner":        {Slug: "acme", Owner: "group:eng"},
		"space in owner":        {Slug: "acme", Owner: "o livia"},
		"control char in title": {Slug: "acme", Title: "a\x07b"},
		"overlong title":        {Slug: "acme", Title: strings.Repeat("t", 201)},
	}
	for name, w := range cases {
		t.Run(name, func(t *testing.T) {
			err := r.CreateWiki(context.Background(), "test", w, homeFiles)
			storetest.WantCode(t, err, wiki.EINVALID)
			for _, table := range []string{"wikis", "grants", "audit"} {
				if n := countRows(t, r, table); n != 0 {
					t.Fatalf("%d rows in %s", n, table)
				}
			}
			if got := wikisEntries(t, data); len(got) != 0 {
				t.Fatalf("DATA/wikis = %v", got)
			}
		})
	}
}

// TestSweepLeftovers lays out what crashes leave in DATA/wikis and checks
// that the sweep removes exactly those, not a create still in progress.
func TestSweepLeftovers(t *testing.T) {
	r, _, data := MustOpenRobot(t)
	mustCreateWiki(t, r, data, wiki.Wiki{Slug: "keep"})
	wikis := filepath.Join(data, "wikis")
	mk := func(name string, age time.Duration) {
		t.Helper()
		dir := filepath.Join(wikis, name)
		if err := os.MkdirAll(filepath.Join(dir, "repo.git", "objects"), 0o755); err != nil {
			t.Fatal(err)
		}
		old := time.Now().Add(-age)
		if err := os.Chtimes(dir, old, old); err != nil {
			t.Fatal(err)
		}
	}
	mk(".creating-crashed-1234", 2*robot.LeftoverAge)
	mk(".creating-running-5678", 0)
	mk(".deleting-gone-abcd", 0)
	if err := robot.SweepLeftovers(data); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(wikisEntries(t, data), ","); got != ".creating-running-5678,keep" {
		t.Fatalf("after sweep DATA/wikis = %s", got)
	}
	if err := robot.SweepLeftovers(t.TempDir()); err != nil {
		t.Fatalf("sweep of a data dir without wikis: %v", err)
	}
}

// TestCreateWikiAfterCrashBeforeCommit simulates a crash between renaming a
// new wiki's directory into place and committing its row: the directory is
// there, robot.db does not list it. It must not be served, and creating the
// slug again must replace it.
func TestCreateWikiAfterCrashBeforeCommit(t *testing.T) {
	r, _, data := MustOpenRobot(t)
	orphan := robot.WikiDir(data, "acme")
	if err := os.MkdirAll(filepath.Join(orphan, "repo.git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(orphan, "marker"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := r.FindWiki(context.Background(), "acme")
	storetest.WantCode(t, err, wiki.ENOTFOUND)
	mustCreateWiki(t, r, data, wiki.Wiki{Slug: "acme"})
	if _, err := os.Stat(filepath.Join(orphan, "marker")); !os.IsNotExist(err) {
		t.Fatalf("orphan's file survived the new create: %v", err)
	}
	if got := strings.Join(wikisEntries(t, data), ","); got != "acme" {
		t.Fatalf("DATA/wikis = %s", got)
	}
}

func TestDeleteWiki(t *testing.T) {
	r, clock, data := MustOpenRobot(t)
	ctx := context.Background()
	mustCreateWiki(t, r, data, wiki.Wiki{Slug: "acme", Owner: "olivia"})
	mustCreateWiki(t, r, data, wiki.Wiki{Slug: "other", Owner: "olivia"})
	mustGrant(t, r, "acme", "bob", wiki.RoleEditor)
	scoped, _ := mustCreateToken(t, r, "bob", "acme", wiki.RoleEditor, time.Time{})
	unscoped, _ := mustCreateToken(t, r, "bob", "", wiki.RoleEditor, clock.In(time.Hour))
	if err := r.DeleteWiki(ctx, "test", "acme"); err != nil {
		t.Fatal(err)
	}
	_, err := r.FindWiki(ctx, "acme")
	storetest.WantCode(t, err, wiki.ENOTFOUND)
	var grants int
	if err := r.DB.R.Get(&grants, `SELECT count(*) FROM grants WHERE wiki = 'acme'`); err != nil || grants != 0 {
		t.Fatalf("grants left on deleted wiki: %d, %v", grants, err)
	}
	_, err = r.VerifyToken(ctx, scoped)
	storetest.WantCode(t, err, wiki.EUNAUTHORIZED)
	if _, err := r.VerifyToken(ctx, unscoped); err != nil {
		t.Fatalf("unscoped token lost with the wiki: %v", err)
	}
	if got := strings.Join(wikisEntries(t, data), ","); got != "other" {
		t.Fatalf("DATA/wikis = %s", got)
	}
	storetest.WantCode(t, r.DeleteWiki(ctx, "test", "acme"), wiki.ENOTFOUND)
	storetest.WantCode(t, r.DeleteWiki(ctx, "test", "../other"), wiki.ENOTFOUND)

	// The slug is free again, and the new wiki starts empty of old grants.
	mustCreateWiki(t, r, data, wiki.Wiki{Slug: "acme"})
	if gs, _ := r.Grants(ctx, "acme"); len(gs) != 0 {
		t.Fatalf("recreated wiki inherited grants %+v", gs)
	}
}

// TestCreateManyWikis creates wikis one after another with one Robot, the
// way the CLI does for a batch, and lists them back.
func TestCreateManyWikis(t *testing.T) {
	r, _, data := MustOpenRobot(t)
	const n = 50
	for i := range n {
		mustCreateWiki(t, r, data, wiki.Wiki{Slug: "w" + string(rune('a'+i/26)) + string(rune('a'+i%26))})
	}
	ws, err := r.ListWikis(context.Background())
	if err != nil || len(ws) != n {
		t.Fatalf("ListWikis = %d wikis, %v", len(ws), err)
	}
	if got := len(wikisEntries(t, data)); got != n {
		t.Fatalf("DATA/wikis has %d entries, want %d", got, n)
	}
}

// TestCreateWikis creates a batch in one call: every wiki is listed, owned,
// audited and has a repository the real git client accepts.
func TestCreateWikis(t *testing.T) {
	r, _, data := MustOpenRobot(t)
	ctx := context.Background()
	var ws []wiki.Wiki
	for i := range 30 {
		ws = append(ws, wiki.Wiki{Slug: fmt.Sprintf("w%03d", i), Owner: "olivia", Visibility: wiki.Public})
	}
	files := func(w wiki.Wiki) []gitrepo.FileChange {
		return []gitrepo.FileChange{{Path: "Home.md", Content: []byte("# " + w.Slug + "\n")}}
	}
	if err := r.CreateWikis(ctx, "test", ws, files); err != nil {
		t.Fatal(err)
	}
	listed, err := r.ListWikis(ctx)
	if err != nil || len(listed) != len(ws) {
		t.Fatalf("ListWikis = %d wikis, %v", len(listed), err)
	}
	if got := len(wikisEntries(t, data)); got != len(ws) {
		t.Fatalf("DATA/wikis has %d entries, want %d (no leftovers)", got, len(ws))
	}
	for _, table := range []string{"grants", "audit"} {
		if n := countRows(t, r, table); n != len(ws) {
			t.Fatalf("%d rows in %s, want %d", n, table, len(ws))
		}
	}
	for _, slug := range []string{"w000", "w029"} {
		dir := filepath.Join(robot.WikiDir(data, slug), "repo.git")
		out, err := exec.Command("git", "--git-dir", dir, "show", "main:Home.md").CombinedOutput()
		if err != nil || string(out) != "# "+slug+"\n" {
			t.Fatalf("git show main:Home.md in %s = %q, %v", slug, out, err)
		}
		if out, err := exec.Command("git", "--git-dir", dir, "fsck", "--strict").CombinedOutput(); err != nil {
			t.Fatalf("git fsck %s: %v\n%s", slug, err, out)
		}
	}
}

// TestCreateWikisRefusesWholeBatch names each bad batch: one bad, doubled
// or existing wiki anywhere in the list refuses all of them, leaving no
// row, grant, audit line or directory behind.
func TestCreateWikisRefusesWholeBatch(t *testing.T) {
	good := func(s string) wiki.Wiki { return wiki.Wiki{Slug: s, Owner: "olivia"} }
	cases := []struct {
		name  string
		batch []wiki.Wiki
		code  string
	}{
		{"bad slug in the middle", []wiki.Wiki{good("aa"), {Slug: "../evil"}, good("bb")}, wiki.EINVALID},
		{"bad visibility last", []wiki.Wiki{good("aa"), good("bb"), {Slug: "cc", Visibility: "secret"}}, wiki.EINVALID},
		{"group as owner first", []wiki.Wiki{{Slug: "cc", Owner: "group:eng"}, good("aa")}, wiki.EINVALID},
		{"slug named twice", []wiki.Wiki{good("aa"), good("bb"), good("aa")}, wiki.EINVALID},
		{"existing wiki in the middle", []wiki.Wiki{good("aa"), good("taken"), good("bb")}, wiki.EEXISTS},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, _, data := MustOpenRobot(t)
			mustCreateWiki(t, r, data, wiki.Wiki{Slug: "taken"})
			before := map[string]int{}
			for _, table := range []string{"wikis", "grants", "audit"} {
				before[table] = countRows(t, r, table)
			}
			err := r.CreateWikis(context.Background(), "test", tc.batch, func(wiki.Wiki) []gitrepo.FileChange { return homeFiles })
			storetest.WantCode(t, err, tc.code)
			for table, n := range before {
				if got := countRows(t, r, table); got != n {
					t.Fatalf("%s has %d rows, had %d", table, got, n)
				}
			}
			if got := strings.Join(wikisEntries(t, data), ","); got != "taken" {
				t.Fatalf("DATA/wikis = %s", got)
			}
		})
	}
}

// TestCreateWikisBadFiles refuses a batch whose first commit cannot be
// made (a path outside what a page may be) after some repositories were
// already built: none is listed and no directory is left behind.
func TestCreateWikisBadFiles(t *testing.T) {
	r, _, data := MustOpenRobot(t)
	files := func(w wiki.Wiki) []gitrepo.FileChange {
		if w.Slug == "cc" {
			return []gitrepo.FileChange{{Path: "../escape.md", Content: []byte("x")}}
		}
		return homeFiles
	}
	batch := []wiki.Wiki{{Slug: "aa"}, {Slug: "bb"}, {Slug: "cc"}, {Slug: "dd"}}
	err := r.CreateWikis(context.Background(), "test", batch, files)
	storetest.WantCode(t, err, wiki.EINVALID)
	if n := countRows(t, r, "wikis"); n != 0 {
		t.Fatalf("%d wikis listed after a refused batch", n)
	}
	if got := wikisEntries(t, data); len(got) != 0 {
		t.Fatalf("DATA/wikis = %v", got)
	}
}
