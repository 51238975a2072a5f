package markdown

import (
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"

	"github.com/warren-wiki/warren/wiki"
)

// Markdown links and images that name a path rather than a URL (./x.png,
// Notes.md, ../Other.md#setup, and root-absolute /Page or /Page/file.png)
// are marked with data-link, the path as written and URL-decoded, so the
// page view can point them at the page or file they name (see the
// contract in wikilinks.go). Links with a scheme, //host links and pure
// #fragments are left alone.

// schemeRE matches a URL scheme ("https:", "mailto:").
var schemeRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)

// localPath returns the decoded path part of a link destination that names
// something inside the wiki, or ok=false.
func localPath(dest string) (string, bool) {
	if dest == "" || strings.HasPrefix(dest, "#") || strings.HasPrefix(dest, "//") || schemeRE.MatchString(dest) {
		return "", false
	}
	p, _, _ := strings.Cut(dest, "#")
	p, _, _ = strings.Cut(p, "?")
	if p == "" {
		return "", false
	}
	if u, err := url.PathUnescape(p); err == nil {
		p = u
	}
	if strings.ContainsAny(p, "\x00\\") {
		return "", false
	}
	return p, true
}

// markLocal sets data-link on a link or image to a local path.
func markLocal(n ast.Node, dest []byte) {
	if p, ok := localPath(string(dest)); ok {
		n.SetAttributeString("data-link", []byte(p))
	}
}

// linkedPage is the page a local Markdown link names, seen from page from,
// for the link graph: the path joined to from's folder, without ".md".
// ok is false for files and for paths that leave the wiki.
func linkedPage(from, p string) (string, bool) {
	if from == "" {
		return "", false
	}
	joined := p
	if !strings.HasPrefix(p, "/") {
		joined = path.Join(path.Dir(from), p)
	}
	joined = strings.TrimPrefix(path.Clean("/"+joined), "/")
	if ext := path.Ext(joined); strings.EqualFold(ext, wiki.PageExt) {
		joined = joined[:len(joined)-len(ext)]
	} else if isFileName(joined) {
		return "", false
	}
	if strings.HasPrefix(p, "/") || wiki.ValidatePageName(joined) != nil {
		return "", false // root-absolute links may name the site, not the wiki
	}
	return joined, true
}
