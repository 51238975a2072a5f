package linkmove_test

import (
	"testing"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/internal/linkmove"
	"github.com/warren-wiki/warren/storage/internal/storetest"
	"github.com/warren-wiki/warren/wiki"
)

func files(paths ...string) []gitrepo.TreeFile {
	out := make([]gitrepo.TreeFile, len(paths))
	for i, p := range paths {
		out[i] = gitrepo.TreeFile{Path: p}
	}
	return out
}

// TestPlanMovesThePageWithItsFolder maps the page and every file below its
// folder, and names the moved page.
func TestPlanMovesThePageWithItsFolder(t *testing.T) {
	all := files("Team.md", "Team/pic.png", "Team/Sub.md", "Other.md")
	p := linkmove.NewPlan("Team.md", "Team/", all[1:3], "Crew")
	want := map[string]string{"Team.md": "Crew.md", "Team/pic.png": "Crew/pic.png", "Team/Sub.md": "Crew/Sub.md"}
	for old, new := range want {
		if p.Paths[old] != new {
			t.Errorf("Paths[%q] = %q, want %q", old, p.Paths[old], new)
		}
	}
	if p.Pages["Team"] != "Crew" || p.Pages["Team/Sub"] != "Crew/Sub" {
		t.Errorf("Pages = %v", p.Pages)
	}
	if err := p.CheckFree(all); err != nil {
		t.Errorf("CheckFree: %v", err)
	}
}

// TestPlanOntoAnExistingPageIsRefused names the page in the way, compared
// ignoring case.
func TestPlanOntoAnExistingPageIsRefused(t *testing.T) {
	all := files("a.md", "B.md")
	err := linkmove.NewPlan("a.md", "a/", nil, "b").CheckFree(all)
	storetest.WantCode(t, err, wiki.EEXISTS)
}

// TestStoredFolderKeepsTheStoredCase finds a folder typed in another case.
func TestStoredFolderKeepsTheStoredCase(t *testing.T) {
	if got := linkmove.StoredFolder(files("Team/Notes.md"), "team"); got != "Team/" {
		t.Fatalf("StoredFolder = %q, want Team/", got)
	}
}

// TestRewriteTouchesOnlyLinkTargets rewrites wikilinks, inline links and
// reference definitions to a moved page, and leaves code alone.
func TestRewriteTouchesOnlyLinkTargets(t *testing.T) {
	all := files("Old.md", "Home.md")
	m := linkmove.NewPlan("Old.md", "Old/", nil, "New").Links(all, wiki.LinkTextPage, "/acme/")
	src := "[[Old]] [x](Old.md) [y](/acme/Old)\n`[[Old]]`\n```\n[[Old]]\n```\n[r]: Old.md \"t\"\n"
	if !m.Mentions([]byte(src), false) {
		t.Fatal("Mentions = false for a page that links to the moved page")
	}
	got, changed := m.Rewrite([]byte(src), "Home", "Home")
	want := "[[Old|New]] [x](New.md) [y](/acme/New)\n`[[Old]]`\n```\n[[Old]]\n```\n[r]: New.md \"t\"\n"
	if !changed || string(got) != want {
		t.Fatalf("Rewrite = %q, %v\nwant %q", got, changed, want)
	}
	if m.Mentions([]byte("nothing here"), false) {
		t.Fatal("Mentions = true for a page that names nothing that moves")
	}
}
