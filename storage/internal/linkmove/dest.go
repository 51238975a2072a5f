package linkmove

import (
	"net/url"
	"path"
	"strings"

	"github.com/warren-wiki/warren/wiki"
)

// destKind says how a link destination names its target.
type destKind int

const (
	destRelative destKind = iota // relative to the linking page's folder
	destRoot                     // "/Page": from the wiki root (An Otter Wiki)
	destBase                     // "/acme/Page": the wiki's own URL
)

// linkTarget is a link destination resolved to a page or file of the wiki.
type linkTarget struct {
	kind    destKind
	files   bool   // through the attachment URL "-/files/…"
	page    bool   // name is a page name (else a repository path)
	name    string // page name or file path
	ext     string // the ".md" the link wrote after a page name, if any
	suffix  string // "?query#fragment"
	escaped bool   // the link was percent-encoded
	angle   bool   // the link was written <like this>, where spaces may stay
}

// parseDest resolves a destination written in page src; ok is false for
// external links, fragments, paths leaving the wiki and unknown targets.
func (m *Links) parseDest(raw, src string) (linkTarget, bool) {
	var l linkTarget
	if raw == "" || raw[0] == '#' || strings.HasPrefix(raw, "//") {
		return l, false
	}
	if i := strings.IndexAny(raw, ":/"); i >= 0 && raw[i] == ':' {
		return l, false // a scheme: mailto:, https:, javascript:
	}
	p := raw
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p, l.suffix = p[:i], p[i:]
	}
	u, err := url.PathUnescape(p)
	if err != nil || u == "" || strings.HasSuffix(u, "/") {
		return l, false
	}
	l.escaped = u != p
	switch {
	case m.base != "/" && strings.HasPrefix(u, m.base):
		l.kind, u = destBase, u[len(m.base):]
	case strings.HasPrefix(u, "/"):
		l.kind, u = destRoot, u[1:]
	default:
		u = path.Join(path.Dir(src), u)
		if u == ".." || strings.HasPrefix(u, "../") {
			return l, false
		}
	}
	if rest, ok := strings.CutPrefix(u, "-/files/"); ok {
		l.files, u = true, rest
	}
	return l, m.identify(&l, u)
}

// identify decides whether u names a page (with or without ".md") or a
// file, and whether it exists or moves.
func (m *Links) identify(l *linkTarget, u string) bool {
	if wiki.ValidateFilePath(u) != nil {
		return false
	}
	if n, ok := wiki.PageNameOf(u); ok && !l.files {
		l.page, l.name, l.ext = true, n, u[len(n):]
		_, moved := m.page(n)
		return moved || m.exist[strings.ToLower(u)]
	}
	if _, moved := m.page(u); (moved || m.exist[strings.ToLower(wiki.PageFile(u))]) && !l.files {
		l.page, l.name = true, u
		return true
	}
	l.name = u
	_, moved := m.files[u]
	return moved || m.exist[strings.ToLower(u)]
}

// mapped is the target's new name, and whether it moved.
func (l linkTarget) mapped(m *Links) (string, bool) {
	if l.page {
		if n, ok := m.page(l.name); ok {
			return n, true
		}
		return l.name, false
	}
	if n, ok := m.files[l.name]; ok {
		return n, true
	}
	return l.name, false
}

// format writes the destination for target as seen from folder dir, in the
// form the link had (relative, root-absolute or the wiki's URL; encoded or
// not).
func (l linkTarget) format(m *Links, target, dir string) string {
	if l.page {
		target += l.ext
	}
	if l.files {
		target = "-/files/" + target
	}
	if l.kind == destRelative && dir != "." {
		target = relativePath(dir, target)
	}
	if l.escaped || (!l.angle && strings.ContainsAny(target, " ()<>")) {
		target = escapeSegments(target)
	}
	switch l.kind {
	case destBase:
		return m.base + target + l.suffix
	case destRoot:
		return "/" + target + l.suffix
	}
	return target + l.suffix
}

// relativePath is target (from the root) as seen from folder dir.
func relativePath(dir, target string) string {
	ds, ts := strings.Split(dir, "/"), strings.Split(target, "/")
	i := 0
	for i < len(ds) && i < len(ts)-1 && ds[i] == ts[i] {
		i++
	}
	return strings.Repeat("../", len(ds)-i) + strings.Join(ts[i:], "/")
}

// escapeSegments percent-encodes each segment of a path, keeping slashes.
func escapeSegments(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}
