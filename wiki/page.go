package wiki

import (
	"net/url"
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
// git's metadata or collide with warren's own URLs is refused. A name is
// valid when its file (name + ".md") is a valid repository path, so every
// page file a repository may hold has a name: "..md" is the page ".", and
// " Notes .md" the page " Notes ".
func ValidatePageName(name string) error {
	if name == "" {
		return Errorf(EINVALID, "page name is empty")
	}
	if len(name) > 1024 {
		return Errorf(EINVALID, "page name is longer than 1024 bytes")
	}
	if strings.HasSuffix(name, "/") {
		return Errorf(EINVALID, "page name %q has an empty path component", name)
	}
	return validatePath(name, PageFile(name))
}

// ValidateFilePath checks a repository path (a page file or an attachment)
// with the same rules as page names, so that a push cannot smuggle in what the
// web editor would refuse.
func ValidateFilePath(p string) error {
	if p == "" {
		return Errorf(EINVALID, "page name is empty")
	}
	return validatePath(p, p)
}

// validatePath checks the repository path file; name is what the messages
// call it (a page name or the path itself).
func validatePath(name, file string) error {
	if !utf8.ValidString(file) {
		return Errorf(EINVALID, "page name is not valid UTF-8")
	}
	if strings.HasPrefix(file, "/") {
		return Errorf(EINVALID, "page name %q must not start with /", name)
	}
	if strings.HasPrefix(file, "-") {
		return Errorf(EINVALID, "page name %q must not start with -", name)
	}
	for _, r := range file {
		if r < 0x20 || r == 0x7f || r == '\\' {
			return Errorf(EINVALID, "page name %q contains a control character or backslash", name)
		}
	}
	for _, c := range strings.Split(file, "/") {
		if err := validateComponent(name, c); err != nil {
			return err
		}
	}
	return nil
}

// CheckPathComponent refuses one component of a repository path that can
// hurt a client checking the repository out: empty, "." or "..", and ".git"
// in any disguise. The push check applies it to every tree a push brings,
// old commits included, as git's own fsck does.
func CheckPathComponent(c string) error {
	switch {
	case c == "":
		return Errorf(EINVALID, "empty path component")
	case c == "." || c == "..":
		return Errorf(EINVALID, "a %q path component", c)
	case IsDotGit(c):
		return Errorf(EINVALID, "a path component that names git's metadata (.git in a disguise NTFS or HFS+ reads as it)")
	}
	return nil
}

func validateComponent(name, c string) error {
	if err := CheckPathComponent(c); err != nil {
		return Errorf(EINVALID, "page name %q: %s", name, ErrorMessage(err))
	}
	if len(c) > 255 {
		return Errorf(EINVALID, "page name has a component longer than 255 bytes")
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

// EscapePage is a page name as a URL path below the wiki root: each
// segment percent-escaped, the slashes kept ("Team/Meeting%20Notes"). A
// last segment that browsers would read as "." or ".." (the page of the
// file "..md") is written as its file name, "..md", which the page routes
// accept as well, so that every page has a URL a browser keeps as it is.
func EscapePage(name string) string {
	segs := strings.Split(name, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	if dotName(segs[len(segs)-1]) {
		segs[len(segs)-1] += PageExt
	}
	return strings.Join(segs, "/")
}

// UnescapePage reads a page name from its escaped URL path, undoing what
// EscapePage added: "..md" is the page ".", "..md.md" the page "..md".
func UnescapePage(raw string) (string, error) {
	name, err := url.PathUnescape(raw)
	if err != nil {
		return "", Errorf(EINVALID, "The page path is not valid URL encoding.")
	}
	i := strings.LastIndexByte(name, '/') + 1
	if last := name[i:]; strings.HasSuffix(last, PageExt) && dotName(strings.TrimSuffix(last, PageExt)) {
		name = strings.TrimSuffix(name, PageExt)
	}
	return name, nil
}

// dotName reports whether a last URL segment would be read by browsers as
// "." or ".." once written, or could be mistaken for EscapePage's form of
// one: ".", "..", "..md", "...md", "..md.md", ….
func dotName(seg string) bool {
	for strings.HasSuffix(seg, PageExt) && len(seg) > len(PageExt) {
		seg = strings.TrimSuffix(seg, PageExt)
	}
	return seg == "." || seg == ".."
}

// NameKey is the form in which page names are compared when the exact name
// and a case-insensitive match both failed: lower case, with spaces and
// hyphens the same (GitHub wikis store "Getting Started" as
// Getting-Started.md). The resolver indexes pages and aliases by it.
func NameKey(name string) string {
	return strings.ReplaceAll(strings.ToLower(name), " ", "-")
}

// IsChromePage reports whether a page is one of the pages GitHub and Gollum
// show around other pages rather than as pages of their own: _Sidebar,
// _Footer and _Header, in any folder and any case.
func IsChromePage(name string) bool {
	switch strings.ToLower(path.Base(name)) {
	case "_sidebar", "_footer", "_header":
		return true
	}
	return false
}
