package storage

import (
	"context"
	"path"
	"strings"

	"github.com/warren-wiki/warren/storage/internal/memo"
	"github.com/warren-wiki/warren/storage/internal/pagetree"
	"github.com/warren-wiki/warren/wiki"
)

// Resolve finds what a page URL names when no page has that exact name or
// that name in another case: the resolver's other steps (spaces ≡ hyphens,
// aliases, a file of the wiki, a base name anywhere). A name ending in .md
// is also tried without it, so "/..md" reaches the page of the file "..md".
func (w *Wiki) Resolve(ctx context.Context, name string) (wiki.Resolution, error) {
	return w.links().ResolveURL(ctx, name)
}

// HomePage is the page the wiki root shows: the "home" preference if that
// page exists, else Home, README or index at the root (any case); "" when
// there is none, and the root then lists the pages.
func (w *Wiki) HomePage(ctx context.Context) (string, error) {
	size := func(name string) int { return len(name) }
	return memo.Do(&w.memo, memoKey{kind: memoHome}, nil, size, func() (string, error) { return w.homePage(ctx) })
}

func (w *Wiki) homePage(ctx context.Context) (string, error) {
	prefs, err := w.Preferences(ctx)
	if err != nil {
		return "", err
	}
	return pagetree.Home(ctx, w.DB.R, prefs.Home)
}

// HasFolder reports whether any page lives below the folder name, so that
// a folder URL can list them.
func (w *Wiki) HasFolder(ctx context.Context, name string) (bool, error) {
	pages, err := pagetree.List(ctx, w.DB.R, name+"/", "", 1)
	return len(pages) > 0, err
}

// File reads a file of the wiki at HEAD that is not a page, by its path
// (exactly, else ignoring case), from the files index: content and blob id.
// Symlinks and submodules are never files. ENOTFOUND if there is none.
func (w *Wiki) File(ctx context.Context, p string) ([]byte, string, error) {
	if err := wiki.ValidateFilePath(p); err != nil {
		return nil, "", err
	}
	var rows []struct {
		Path string `db:"path"`
		Blob string `db:"blob"`
	}
	err := w.DB.R.SelectContext(ctx, &rows, `SELECT path, blob FROM files WHERE lpath = ? ORDER BY path`, strings.ToLower(p))
	if err != nil {
		return nil, "", err
	}
	if len(rows) == 0 {
		return nil, "", wiki.Errorf(wiki.ENOTFOUND, "there is no file %q", p)
	}
	pick := rows[0]
	for _, r := range rows {
		if r.Path == p {
			pick = r
		}
	}
	data, err := w.Repo.ReadBlob(ctx, pick.Blob)
	return data, pick.Blob, err
}

// Chrome returns the nearest _Sidebar and _Footer up from page's folder
// (GitHub and Gollum semantics), rendered, with their links resolved from
// where they live. The sidebar is left out unless the wiki's sidebar
// preference is "page". Answers are kept until the indexes next change.
func (w *Wiki) Chrome(ctx context.Context, page string) (wiki.Chrome, error) {
	size := func(c wiki.Chrome) int { return len(c.Sidebar) + len(c.Footer) + 64 }
	k := memoKey{kind: memoChrome, name: path.Dir(page)}
	return memo.Do(&w.memo, k, nil, size, func() (wiki.Chrome, error) { return w.chrome(ctx, page) })
}

func (w *Wiki) chrome(ctx context.Context, page string) (wiki.Chrome, error) {
	var c wiki.Chrome
	prefs, err := w.Preferences(ctx)
	if err != nil {
		return c, err
	}
	if c.SidebarPage, c.FooterPage, err = pagetree.Chrome(ctx, w.DB.R, page); err != nil {
		return c, err
	}
	if prefs.Sidebar != wiki.SidebarPage {
		c.SidebarPage = ""
	}
	if c.Sidebar, err = w.chromeHTML(ctx, c.SidebarPage); err != nil {
		return c, err
	}
	c.Footer, err = w.chromeHTML(ctx, c.FooterPage)
	return c, err
}

// chromeHTML is a chrome page's HTML with its links resolved.
func (w *Wiki) chromeHTML(ctx context.Context, name string) (string, error) {
	if name == "" {
		return "", nil
	}
	htm, err := w.pageHTML(ctx, name) // name is as stored: the page's own
	if err != nil {
		return "", err
	}
	return w.resolveLinks(ctx, name, htm)
}
