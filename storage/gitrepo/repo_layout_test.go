package gitrepo_test

import (
	"context"
	"testing"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/internal/storetest"
	"github.com/warren-wiki/warren/wiki"
)

// Real repository shapes, built with the git CLI as the other wiki engines
// leave them: every .md file must open as a page by the name a user types.
func TestRepoPageLayouts(t *testing.T) {
	layouts := []struct {
		name  string
		files map[string]string
		find  map[string]string // path asked for → path found
	}{{
		name: "otterwiki lower case",
		files: map[string]string{
			"home.md":                  "# Home",
			"team/meeting notes.md":    "notes",
			"team/sub team/roadmap.md": "road",
			"attachments/logo.png":     "png",
		},
		find: map[string]string{
			"Home.md":                  "home.md",
			"home.md":                  "home.md",
			"Team/Meeting Notes.md":    "team/meeting notes.md",
			"TEAM/Sub Team/Roadmap.md": "team/sub team/roadmap.md",
		},
	}, {
		name: "github wiki",
		files: map[string]string{
			"Home.md":          "home",
			"Meeting-Notes.md": "notes",
			"_Sidebar.md":      "side",
			"_Footer.md":       "foot",
		},
		find: map[string]string{
			"Home.md":          "Home.md",
			"home.md":          "Home.md",
			"meeting-notes.md": "Meeting-Notes.md",
			"_sidebar.md":      "_Sidebar.md",
		},
	}, {
		name: "dots and spaces",
		files: map[string]string{
			"v1.2 Release.md":          "release",
			"Notes/2024.01.05 Sync.md": "sync",
			"a.b.c/d e.f.md":           "deep",
			"Ünïcödé Page.md":          "unicode",
		},
		find: map[string]string{
			"v1.2 Release.md":          "v1.2 Release.md",
			"V1.2 RELEASE.md":          "v1.2 Release.md",
			"notes/2024.01.05 sync.md": "Notes/2024.01.05 Sync.md",
			"A.B.C/D E.F.md":           "a.b.c/d e.f.md",
			"ünïcödé page.md":          "Ünïcödé Page.md",
		},
	}}
	ctx := context.Background()
	for _, l := range layouts {
		t.Run(l.name, func(t *testing.T) {
			r, err := gitrepo.OpenRepo(storetest.MustGitRepo(t, l.files))
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			for ask, want := range l.find {
				f, err := r.FindFile(ctx, "", ask)
				if err != nil || f.Path != want {
					t.Errorf("FindFile(%q) = %q, %v; want %q", ask, f.Path, err, want)
					continue
				}
				if f.Size != int64(len(l.files[want])) || f.Mode != 0o100644 {
					t.Errorf("FindFile(%q) size %d mode %o", ask, f.Size, f.Mode)
				}
			}
			// Every .md file is reachable as a page through its own name.
			files, err := r.ListFiles(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			if len(files) != len(l.files) {
				t.Fatalf("ListFiles = %d files, want %d", len(files), len(l.files))
			}
			for _, f := range files {
				if l.files[f.Path] == "" {
					t.Errorf("ListFiles invented %q", f.Path)
				}
				name, ok := wiki.PageNameOf(f.Path)
				if !ok {
					continue
				}
				if err := wiki.ValidatePageName(name); err != nil {
					t.Errorf("page %q from %q is not a valid name: %v", name, f.Path, err)
				}
				found, err := r.FindFile(ctx, "", wiki.PageFile(name))
				if err != nil || found.Blob != f.Blob {
					t.Errorf("page %q: FindFile = %+v, %v", name, found, err)
				}
				data, _, err := r.ReadFile(ctx, "", found.Path)
				if err != nil || string(data) != l.files[f.Path] {
					t.Errorf("page %q: ReadFile = %q, %v", name, data, err)
				}
			}
			_, err = r.FindFile(ctx, "", "No Such Page.md")
			storetest.RepoWantCode(t, err, wiki.ENOTFOUND)
		})
	}
}

// The exact match wins over a case-insensitive one, and a case-insensitive
// lookup tries every matching directory, not just the first.
func TestRepoFindFilePrefersExactAndBacktracks(t *testing.T) {
	r, err := gitrepo.OpenRepo(storetest.MustGitRepo(t, map[string]string{
		"Home.md":         "upper",
		"home.md":         "lower",
		"Team/other.md":   "x",
		"team/Only.md":    "only in lower-case dir",
		"TEAM/ignored.md": "y",
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx := context.Background()
	for ask, want := range map[string]string{
		"Home.md":      "Home.md",
		"home.md":      "home.md",
		"HOME.md":      "Home.md", // first in tree order
		"team/only.md": "team/Only.md",
		"Team/Only.md": "team/Only.md",
	} {
		f, err := r.FindFile(ctx, "", ask)
		if err != nil || f.Path != want {
			t.Errorf("FindFile(%q) = %q, %v; want %q", ask, f.Path, err, want)
		}
	}
	// Directories are not files.
	for _, ask := range []string{"", "/", "Team", "team/", "TEAM"} {
		_, err := r.FindFile(ctx, "", ask)
		storetest.RepoWantCode(t, err, wiki.ENOTFOUND)
	}
}
