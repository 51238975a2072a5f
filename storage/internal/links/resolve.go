package links

import (
	"context"
	"path"
	"sort"
	"strings"

	"github.com/warren-wiki/warren/wiki"
)

// One resolver maps what people write to the page or file it means, for
// page URLs, wikilinks, Markdown links, embeds and the API alike. Each kind
// of reference is turned into an ordered list of probes; all probes of a
// page view go to wiki.db in at most three indexed queries, and the first
// probe that matches wins:
//
//   - a path: the exact name, else a case-insensitive match, else a match
//     of wiki.NameKey (spaces = hyphens, as GitHub wikis name files);
//   - an alias from a page's front matter;
//   - a base name anywhere in the wiki (Obsidian), the shortest path when
//     several match, then the first in name order. A target written with
//     folders must match the end of the path ("sub/Note" finds a/sub/Note).
//
// Wikilinks try the path from the root, then from the linking page's
// folder, then aliases, then base names, then files. Markdown links are
// paths relative to the page's folder (as a browser reads them), then An
// Otter Wiki's ./file of the page's own attachment folder, then from the
// root, then base names. Nothing here walks the tree.

// refKind says how a reference was written.
type refKind uint8

const (
	refWiki  refKind = iota // [[Target]] and ![[Page]]
	refPath                 // a Markdown link or image path
	refEmbed                // ![[file.png]]
	refURL                  // a page URL
)

// linkRef is one reference as written, seen from one page.
type linkRef struct {
	kind   refKind
	target string
}

// target is what a reference resolved to: a page or a file (or neither).
type target struct {
	page string
	file string
}

func (t target) found() bool { return t.page != "" || t.file != "" }

// probe is one lookup of a reference's list.
type probe struct {
	kind probeKind
	key  string // the path or name looked up, as written
	tail string // for base-name probes: the written path the match must end with
}

type probeKind uint8

const (
	probePage probeKind = iota
	probeAlias
	probePageBase
	probeFile
	probeFileBase
)

// probes lists the lookups for one reference from page from.
func probes(from string, r linkRef) []probe {
	dir := path.Dir(from)
	if from == "" || dir == "." {
		dir = ""
	}
	t := r.target
	switch r.kind {
	case refWiki:
		ps := []probe{{kind: probePage, key: t}}
		if dir != "" {
			ps = append(ps, probe{kind: probePage, key: dir + "/" + t})
		}
		ps = append(ps, probe{kind: probeAlias, key: t}, probe{kind: probePageBase, key: path.Base(t), tail: t})
		return append(ps, fileProbes(dir, t)...)
	case refEmbed:
		return fileProbes(dir, t)
	case refURL:
		ps := []probe{{kind: probePage, key: t}}
		if strings.HasSuffix(strings.ToLower(t), wiki.PageExt) && len(t) > len(wiki.PageExt) {
			ps = append(ps, probe{kind: probePage, key: t[:len(t)-len(wiki.PageExt)]})
		}
		ps = append(ps, probe{kind: probeAlias, key: t}, probe{kind: probeFile, key: t})
		if f, ok := otterAttachment(t); ok {
			ps = append(ps, probe{kind: probeFile, key: f})
		}
		return append(ps, probe{kind: probePageBase, key: path.Base(t), tail: t})
	}
	return pathProbes(from, dir, t)
}

// fileProbes looks a file name up from the root, the folder, then anywhere.
func fileProbes(dir, t string) []probe {
	ps := []probe{{kind: probeFile, key: t}}
	if dir != "" {
		ps = append(ps, probe{kind: probeFile, key: dir + "/" + t})
	}
	return append(ps, probe{kind: probeFileBase, key: path.Base(t), tail: t})
}

// pathProbes are the lookups of a Markdown link's path.
func pathProbes(from, dir, p string) []probe {
	if strings.HasPrefix(p, "/") {
		j := cleanPath(p)
		return append(pageOrFile(j), probe{kind: probePageBase, key: path.Base(j), tail: j})
	}
	j := cleanPath(dir + "/" + p)
	ps := pageOrFile(j)
	if from != "" {
		ps = append(ps, probe{kind: probeFile, key: cleanPath(from + "/" + p)}) // An Otter Wiki's ./file
	}
	if root := cleanPath(p); root != j {
		ps = append(ps, pageOrFile(root)...)
	}
	if !strings.Contains(strings.Trim(p, "./"), "/") {
		base := strings.TrimSuffix(path.Base(j), path.Ext(j))
		if !strings.EqualFold(path.Ext(j), wiki.PageExt) {
			base = path.Base(j)
		}
		ps = append(ps, probe{kind: probePageBase, key: base, tail: base}, probe{kind: probeFileBase, key: path.Base(j), tail: path.Base(j)})
	}
	return ps
}

// pageOrFile probes a path as a page (without its .md) and as a file,
// including An Otter Wiki's attachment URLs {page}/a/{file} (download) and
// {page}/t/{file} (thumbnail).
func pageOrFile(j string) []probe {
	if j == "" {
		return nil
	}
	if ext := path.Ext(j); strings.EqualFold(ext, wiki.PageExt) && len(j) > len(ext) {
		return []probe{{kind: probePage, key: j[:len(j)-len(ext)]}}
	}
	ps := []probe{{kind: probePage, key: j}, {kind: probeFile, key: j}}
	if f, ok := otterAttachment(j); ok {
		ps = append(ps, probe{kind: probeFile, key: f})
	}
	return ps
}

// otterAttachment reads {page}/a/{file} or {page}/t/{file} as {page}/{file}.
func otterAttachment(j string) (string, bool) {
	dir, file := path.Split(j)
	dir = strings.TrimSuffix(dir, "/")
	page, mode := path.Split(dir)
	if file == "" || page == "" || (mode != "a" && mode != "t") {
		return "", false
	}
	return page + file, true
}

// cleanPath resolves . and .. in a path from the root (never above it) and
// drops the leading slash.
func cleanPath(p string) string {
	return strings.TrimPrefix(path.Clean("/"+p), "/")
}

// candidates is what wiki.db returned for one set of probes.
type candidates struct {
	pages   []pageCand // by nkey or nbase
	aliases map[string][]string
	files   []fileCand // by lpath or lbase
}

type pageCand struct {
	Name  string `db:"name"`
	NKey  string `db:"nkey"`
	NBase string `db:"nbase"`
}

type fileCand struct {
	Path  string `db:"path"`
	LPath string `db:"lpath"`
	LBase string `db:"lbase"`
}

// resolveRefs resolves every reference of one page in one round of queries.
func (r *Resolver) resolveRefs(ctx context.Context, from string, refs []linkRef) (map[linkRef]target, error) {
	lists := make(map[linkRef][]probe, len(refs))
	for _, ref := range refs {
		lists[ref] = probes(from, ref)
	}
	c, err := r.candidates(ctx, lists)
	if err != nil {
		return nil, err
	}
	out := make(map[linkRef]target, len(refs))
	for ref, ps := range lists {
		for _, p := range ps {
			if t := c.match(p); t.found() {
				out[ref] = t
				break
			}
		}
	}
	return out, nil
}

// match applies one probe to the fetched rows.
func (c *candidates) match(p probe) target {
	switch p.kind {
	case probePage:
		return target{page: bestName(p.key, c.pagesWhere(func(r pageCand) bool { return r.NKey == wiki.NameKey(p.key) }))}
	case probeAlias:
		if pages := c.aliases[wiki.NameKey(p.key)]; len(pages) > 0 {
			return target{page: pages[0]}
		}
	case probePageBase:
		tail := "/" + wiki.NameKey(p.tail)
		return target{page: shortest(c.pagesWhere(func(r pageCand) bool {
			return r.NBase == wiki.NameKey(p.key) && strings.HasSuffix("/"+r.NKey, tail)
		}))}
	case probeFile:
		return target{file: bestName(p.key, c.filesWhere(func(f fileCand) bool { return f.LPath == strings.ToLower(p.key) }))}
	case probeFileBase:
		tail := "/" + strings.ToLower(p.tail)
		return target{file: shortest(c.filesWhere(func(f fileCand) bool {
			return f.LBase == strings.ToLower(p.key) && strings.HasSuffix("/"+f.LPath, tail)
		}))}
	}
	return target{}
}

func (c *candidates) pagesWhere(ok func(pageCand) bool) []string {
	var out []string
	for _, r := range c.pages {
		if ok(r) {
			out = append(out, r.Name)
		}
	}
	return out
}

func (c *candidates) filesWhere(ok func(fileCand) bool) []string {
	var out []string
	for _, f := range c.files {
		if ok(f) {
			out = append(out, f.Path)
		}
	}
	return out
}

// bestName picks among names that match a key: the exact name, else one
// equal ignoring case, else the first in name order.
func bestName(want string, names []string) string {
	if len(names) == 0 {
		return ""
	}
	sort.Strings(names)
	for _, n := range names {
		if n == want {
			return n
		}
	}
	for _, n := range names {
		if strings.EqualFold(n, want) {
			return n
		}
	}
	return names[0]
}

// shortest picks the shortest path, then the first in name order, as
// Obsidian does for a base name several files share.
func shortest(names []string) string {
	sort.Slice(names, func(i, j int) bool {
		if len(names[i]) != len(names[j]) {
			return len(names[i]) < len(names[j])
		}
		return names[i] < names[j]
	})
	if len(names) == 0 {
		return ""
	}
	return names[0]
}
