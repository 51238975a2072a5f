package linkmove

import (
	"bytes"
	"path"
	"sort"
	"strings"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/wiki"
)

// Plan maps every moving path to its new path.
type Plan struct {
	Paths map[string]string // old repository path → new
	Pages map[string]string // old page name → new
	Order []string          // old paths, sorted
}

// NewPlan plans moving the page stored as pageFile ("" for a folder
// without a page of its own) together with the files below folder (as
// stored, ending in "/") to the name to.
func NewPlan(pageFile, folder string, files []gitrepo.TreeFile, to string) *Plan {
	p := &Plan{Paths: map[string]string{}, Pages: map[string]string{}}
	if pageFile != "" {
		p.add(pageFile, wiki.PageFile(to))
	}
	for _, f := range files {
		p.add(f.Path, to+"/"+f.Path[len(folder):])
	}
	sort.Strings(p.Order)
	return p
}

func (p *Plan) add(old, new string) {
	p.Paths[old] = new
	p.Order = append(p.Order, old)
	if on, ok := pageName(old); ok {
		nn, _ := wiki.PageNameOf(new)
		p.Pages[on] = nn
	}
}

// pageName is the page a file holds, if it is a page with a valid name.
func pageName(file string) (string, bool) {
	name, ok := wiki.PageNameOf(file)
	if !ok || wiki.ValidatePageName(name) != nil {
		return "", false
	}
	return name, true
}

// CheckFree refuses a move onto anything that exists and does not move
// away in the same commit; pages are compared ignoring case, as lookups are.
func (p *Plan) CheckFree(all []gitrepo.TreeFile) error {
	staying := map[string]string{}
	for _, f := range all {
		if _, moving := p.Paths[f.Path]; !moving {
			staying[strings.ToLower(f.Path)] = f.Path
		}
	}
	for _, old := range p.Order {
		if other, ok := staying[strings.ToLower(p.Paths[old])]; ok {
			name, isPage := wiki.PageNameOf(other)
			if !isPage {
				name = other
			}
			return wiki.Errorf(wiki.EEXISTS, "%q already exists", name)
		}
	}
	return nil
}

// StoredFolder is the folder as stored (ending in "/") for a name typed in
// any case.
func StoredFolder(all []gitrepo.TreeFile, name string) string {
	for _, f := range all {
		if strings.HasPrefix(f.Path, name+"/") {
			return name + "/"
		}
	}
	l := strings.ToLower(name) + "/"
	for _, f := range all {
		if strings.HasPrefix(strings.ToLower(f.Path), l) {
			return f.Path[:len(l)]
		}
	}
	return name + "/"
}

// Links prepares rewriting the links to what the plan moves, in a wiki of
// link style style served under base, whose files at head are all.
func (p *Plan) Links(all []gitrepo.TreeFile, style wiki.LinkStyle, base string) *Links {
	m := &Links{pages: map[string]string{}, files: map[string]string{}, exist: map[string]bool{},
		style: style, base: base}
	for old, new := range p.Pages {
		m.pages[strings.ToLower(old)] = new
	}
	for old, new := range p.Paths {
		if _, ok := pageName(old); !ok {
			m.files[old] = new
		}
	}
	for _, f := range all {
		m.exist[strings.ToLower(f.Path)] = true
	}
	return m
}

// Mentions is a cheap test before parsing: could this page link to
// anything that moves? A moving page is always parsed (its relative links
// are re-aimed).
func (m *Links) Mentions(content []byte, moving bool) bool {
	if moving {
		return true
	}
	low := bytes.ToLower(content)
	for old := range m.pages {
		base := path.Base(old)
		if bytes.Contains(low, []byte(base)) || bytes.Contains(low, []byte(strings.ToLower(escapeSegments(base)))) {
			return true
		}
	}
	for old := range m.files {
		base := strings.ToLower(path.Base(old))
		if bytes.Contains(low, []byte(base)) || bytes.Contains(low, []byte(strings.ToLower(escapeSegments(base)))) {
			return true
		}
	}
	return false
}
