package wiki

import (
	"path"
	"strings"
	"unicode/utf8"
)

// PageExt is the extension of a page's file in the repository. Pages are
// plain Markdown files so that a clone is readable in any editor.
const PageExt = ".md"

// HomePage is the page a wiki's root shows. Lookup is case-insensitive, so
// An Otter Wiki's home.md and GitHub's Home.md both serve as it.
const HomePage = "Home"

// ValidatePageName checks a page name (the path without ".md") supplied by a
// user, a URL or a pushed tree. Names become file paths inside a bare
// repository and URL paths, so anything that could escape the wiki, hide in
// git's metadata or collide with warren's own URLs is refused.
func ValidatePageName(name string) error {
	if name == "" {
		return Errorf(EINVALID, "page name is empty")
	}
	if len(name) > 1024 {
		return Errorf(EINVALID, "page name is longer than 1024 bytes")
	}
	if !utf8.ValidString(name) {
		return Errorf(EINVALID, "page name is not valid UTF-8")
	}
	if strings.HasPrefix(name, "/") {
		return Errorf(EINVALID, "page name %q must not start with /", name)
	}
	if strings.HasPrefix(name, "-") {
		return Errorf(EINVALID, "page name %q must not start with -", name)
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f || r == '\\' {
			return Errorf(EINVALID, "page name %q contains a control character or backslash", name)
		}
	}
	for _, c := range strings.Split(name, "/") {
		if err := validateComponent(name, c); err != nil {
			return err
		}
	}
	return nil
}

// ValidateFilePath checks a repository path (a page file or an attachment)
// with the same rules as page names, so that a push cannot smuggle in what the
// web editor would refuse.
func ValidateFilePath(p string) error {
	return ValidatePageName(p)
}

func validateComponent(name, c string) error {
	switch {
	case c == "":
		return Errorf(EINVALID, "page name %q has an empty path component", name)
	case c == "." || c == "..":
		return Errorf(EINVALID, "page name %q contains a %q component", name, c)
	case strings.EqualFold(c, ".git"):
		return Errorf(EINVALID, "page name %q contains a .git component", name)
	case len(c) > 255:
		return Errorf(EINVALID, "page name has a component longer than 255 bytes")
	case strings.TrimSpace(c) != c:
		return Errorf(EINVALID, "page name %q has a component with leading or trailing spaces", name)
	}
	return nil
}

// PageFile maps a validated page name to its file in the repository.
func PageFile(name string) string { return name + PageExt }

// PageNameOf maps a repository file back to a page name; ok is false for
// files that are not pages (attachments, dotfiles).
func PageNameOf(file string) (name string, ok bool) {
	if !strings.HasSuffix(strings.ToLower(file), PageExt) || len(file) == len(PageExt) {
		return "", false
	}
	return file[:len(file)-len(PageExt)], true
}

// PageTitle is the fallback title of a page: its last path component, with
// the dashes and underscores of Gollum-style file names read as spaces.
func PageTitle(name string) string {
	base := path.Base(name)
	if !strings.Contains(base, " ") {
		base = strings.NewReplacer("-", " ", "_", " ").Replace(base)
	}
	return base
}

// Page is one page at one revision.
type Page struct {
	Name     string // page name, e.g. "Team/Meeting Notes"
	File     string // path in the repository, e.g. "Team/Meeting Notes.md"
	Title    string
	Content  []byte
	Blob     string // git blob id of the content; keys the render cache
	Revision string // id of the commit that last changed the page
}

// PageInfo is a page as the index lists it, without its content.
type PageInfo struct {
	Name     string `db:"name" json:"path"`
	Title    string `db:"title" json:"title"`
	Blob     string `db:"blob" json:"-"`
	Revision string `db:"revision" json:"revision"`
}
