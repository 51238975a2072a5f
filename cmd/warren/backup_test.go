package main_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/robot"
	"github.com/warren-wiki/warren/storage/sqlitedb"
	"github.com/warren-wiki/warren/wiki"
)

// TestBackupWhileServingRestoresEveryAcknowledgedWrite: a backup of a live
// farm taken while saves and a git push run, restored into a new data
// directory, holds every write acknowledged before the backup began; its
// repositories pass `git fsck`, its databases PRAGMA integrity_check, and
// every page reads the same as on the original at the same revision. The
// same holds for the tar form through stdin.
func TestBackupWhileServingRestoresEveryAcknowledgedWrite(t *testing.T) {
	c := cli{t: t}
	data := filepath.Join(t.TempDir(), "data")
	c.ok("wiki", "create", "--data", data, "--owner", "olivia", "acme", "docs")
	c.ok("grant", "--data", data, "acme", "eddie", "editor")
	f := mustServe(t, data)
	acked := map[string]string{}
	for i := range 5 {
		name, text := fmt.Sprintf("Before-%d", i), fmt.Sprintf("# Before %d\n", i)
		if !f.save(t, "acme", name, text) {
			t.Fatalf("save %s refused", name)
		}
		acked[name] = text
	}
	work := filepath.Join(t.TempDir(), "work")
	git(t, "root", ".", "clone", "-q", f.URL+"/docs/.git", work)
	writeFile(t, filepath.Join(work, "Pushed.md"), "# Pushed before\n")
	git(t, "root", work, "add", ".")
	git(t, "root", work, "commit", "-q", "-m", "before the backup")
	git(t, "root", work, "push", "-q", "origin", "main")

	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() { // saves keep coming during the backup
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			f.save(t, "acme", fmt.Sprintf("During-%d", i), "# during\n")
		}
	})
	wg.Go(func() { // and a push
		writeFile(t, filepath.Join(work, "During.md"), "# Pushed during\n")
		git(t, "root", work, "add", ".")
		git(t, "root", work, "commit", "-q", "-m", "during the backup")
		git(t, "root", work, "push", "-q", "origin", "main")
	})
	out := filepath.Join(t.TempDir(), "backup")
	c.ok("backup", "--data", data, out)
	tarOut := filepath.Join(t.TempDir(), "farm.tar")
	c.ok("backup", "--data", data, tarOut)
	close(stop)
	wg.Wait()

	for _, in := range []string{out, tarOut} {
		restored := filepath.Join(t.TempDir(), "restored")
		c.ok("restore", "--data", restored, in)
		checkRestored(t, restored, []string{"acme", "docs"})
		r := mustServe(t, restored)
		for name, text := range acked {
			if got, _ := r.page(t, "acme", name, ""); got != text {
				t.Errorf("%s: acknowledged page %s = %q, want %q", in, name, got, text)
			}
		}
		if got, _ := r.page(t, "docs", "Pushed", ""); got != "# Pushed before\n" {
			t.Errorf("%s: pushed page = %q", in, got)
		}
		for _, slug := range []string{"acme", "docs"} {
			for _, name := range r.pageNames(t, slug) {
				got, rev := r.page(t, slug, name, "")
				if orig, _ := f.page(t, slug, name, rev); orig != got {
					t.Errorf("%s: %s/%s at %s reads %q restored, %q originally", in, slug, name, rev, got, orig)
				}
			}
		}
		if st, _, _ := r.call(t, "GET", "/acme/-/api/pages/Before-0", "eddie", "", nil); st != 200 {
			t.Errorf("%s: eddie's grant lost: %d", in, st)
		}
	}
}

// checkRestored runs git fsck on every repository and PRAGMA
// integrity_check on every database of a restored data directory.
func checkRestored(t *testing.T, data string, slugs []string) {
	t.Helper()
	ctx := context.Background()
	if err := sqlitedb.IntegrityCheck(ctx, filepath.Join(data, robot.RobotFile)); err != nil {
		t.Error(err)
	}
	for _, slug := range slugs {
		dir := robot.WikiDir(data, slug)
		if out := git(t, "", ".", "--git-dir", filepath.Join(dir, "repo.git"), "fsck", "--full", "--strict", "--no-dangling"); strings.Contains(out, "error") {
			t.Errorf("git fsck %s: %s", slug, out)
		}
		if _, err := os.Stat(filepath.Join(dir, "wiki.db")); err == nil {
			if err := sqlitedb.IntegrityCheck(ctx, filepath.Join(dir, "wiki.db")); err != nil {
				t.Error(err)
			}
		}
	}
}

func writeFile(t *testing.T, path, content string) {
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Error(err)
	}
}

// TestExportImportMovesOneWiki: a wiki exported from one farm and imported
// under another name into a second keeps its pages, history, preferences
// and grants; importing over an existing wiki is refused.
func TestExportImportMovesOneWiki(t *testing.T) {
	c := cli{t: t}
	data := filepath.Join(t.TempDir(), "data")
	c.ok("wiki", "create", "--data", data, "--owner", "olivia", "--title", "Acme Docs", "--visibility", "internal", "acme")
	c.ok("grant", "--data", data, "acme", "group:staff", "editor")
	f := mustServe(t, data)
	f.save(t, "acme", "Otters", "# Otters\n")
	w, release, err := f.Main.Pool.Acquire(context.Background(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	prefs := wiki.DefaultPreferences()
	prefs.Description = "moved with the wiki"
	if err := w.SetPreferences(context.Background(), prefs); err != nil {
		t.Fatal(err)
	}
	release()
	out := filepath.Join(t.TempDir(), "acme.tar")
	c.ok("export", "--data", data, "acme", out)

	other := filepath.Join(t.TempDir(), "other")
	c.ok("wiki", "create", "--data", other, "taken")
	c.ok("import", "--data", other, "moved", out)
	if r := c.run("import", "--data", other, "taken", out); r.code != 2 || !strings.Contains(r.stderr, "exists") {
		t.Errorf("import over an existing wiki: exit %d %s", r.code, r.stderr)
	}
	ws := wikiList(t, c, other)
	if ws["moved"]["title"] != "Acme Docs" || ws["moved"]["visibility"] != "internal" || ws["moved"]["owner"] != "olivia" {
		t.Errorf("imported wiki row = %v", ws["moved"])
	}
	if grants := c.ok("grants", "--data", other, "moved"); !strings.Contains(grants, "group:staff") {
		t.Errorf("grants not imported:\n%s", grants)
	}
	checkRestored(t, other, []string{"moved"})
	r := mustServe(t, other)
	if got, rev := r.page(t, "moved", "Otters", ""); got != "# Otters\n" || rev == "" {
		t.Errorf("imported page = %q at %q", got, rev)
	}
	w2, release2, err := r.Main.Pool.Acquire(context.Background(), "moved")
	if err != nil {
		t.Fatal(err)
	}
	defer release2()
	if p, _ := w2.Preferences(context.Background()); p.Description != "moved with the wiki" {
		t.Errorf("preferences not imported: %+v", p)
	}
	if head, _ := w2.Repository().Head(context.Background()); head == "" {
		t.Errorf("imported wiki has no %s", gitrepo.MainBranch)
	}
}
