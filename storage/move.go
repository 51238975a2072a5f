package storage

import (
	"bytes"
	"context"
	"path"
	"sort"
	"strings"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/internal/pagetree"
	"github.com/warren-wiki/warren/wiki"
)

// A move renames a page together with its folder — the attachments and
// sub-pages An Otter Wiki keeps in "Name/" beside "Name.md" — or renames a
// folder that has no page of its own. Everything moves in one commit, with
// the links in other pages rewritten in the same commit unless the caller
// turns that off.

// moveSource is what a move takes: the page (if any) and the folder.
type moveSource struct {
	page   *pageRow // nil for a folder without a page of its own
	folder string   // the folder as stored, ending in "/"
	files  []gitrepo.TreeFile
	all    []gitrepo.TreeFile // every file at head
}

// move is Move's body.
func (w *Wiki) move(ctx context.Context, req wiki.MoveRequest) (*wiki.MoveResult, error) {
	if err := validRename(req.From, req.To, req.BaseRevision); err != nil {
		return nil, err
	}
	lf, lt := strings.ToLower(req.From), strings.ToLower(req.To)
	if strings.HasPrefix(lt+"/", lf+"/") && lf != lt {
		return nil, wiki.Errorf(wiki.EINVALID, "%q cannot move into itself", req.From)
	}
	if req.Author == nil {
		req.Author = &wiki.Caller{}
	}
	var res *wiki.MoveResult
	err := w.writeOp(ctx, func(head string) (err error) {
		res, err = w.moveOn(ctx, head, req)
		return err
	})
	return res, err
}

// moveOn commits the move on head.
func (w *Wiki) moveOn(ctx context.Context, head string, req wiki.MoveRequest) (*wiki.MoveResult, error) {
	src, err := w.moveSource(ctx, head, req.From)
	if err != nil {
		return nil, err
	}
	if err := w.checkBase(ctx, src, req.BaseRevision); err != nil {
		return nil, err
	}
	from := strings.TrimSuffix(src.folder, "/")
	if src.page != nil {
		from = src.page.Name
	}
	if from == req.To {
		return nil, wiki.Errorf(wiki.EINVALID, "the new name is the same as the old one")
	}
	plan := newMovePlan(src, from, req.To)
	if err := plan.checkFree(src.all); err != nil {
		return nil, err
	}
	changes, rewritten, err := w.moveChanges(ctx, plan, src, req.RewriteLinks)
	if err != nil {
		return nil, err
	}
	rev, err := w.commit(ctx, req.Author, gitrepo.CommitRequest{
		Parent: head, Changes: changes, When: w.now(),
		Message:    commitMessage(req.Message, "Rename", from+" to "+req.To),
		AuthorName: req.Author.AuthorName(), AuthorEmail: req.Author.AuthorEmail(),
	})
	if err != nil {
		return nil, err
	}
	res := &wiki.MoveResult{Path: req.To, Revision: rev, Moved: plan.pages, Rewritten: rewritten}
	return res, w.afterCommit(ctx)
}

// moveSource finds what moves: the page named from (exact, else ignoring
// case) and its folder, or failing a page the folder alone.
func (w *Wiki) moveSource(ctx context.Context, head, from string) (*moveSource, error) {
	all, err := w.Repo.ListFiles(ctx, head)
	if err != nil {
		return nil, err
	}
	src := &moveSource{all: all}
	row, err := w.indexedPage(ctx, from)
	switch {
	case err == nil:
		src.page = row
		dir, _ := wiki.PageNameOf(row.File)
		src.folder = dir + "/"
	case wiki.ErrorCode(err) != wiki.ENOTFOUND:
		return nil, err
	default:
		src.folder = storedFolder(all, from)
	}
	for _, f := range all {
		if strings.HasPrefix(f.Path, src.folder) {
			src.files = append(src.files, f)
		}
	}
	if src.page == nil && len(src.files) == 0 {
		return nil, wiki.Errorf(wiki.ENOTFOUND, "there is no page or folder %q", from)
	}
	return src, nil
}

// storedFolder is the folder as stored for a name typed in any case.
func storedFolder(all []gitrepo.TreeFile, name string) string {
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

// checkBase compares the caller's revision with the page's, or for a
// folder with FolderRevision's.
func (w *Wiki) checkBase(ctx context.Context, src *moveSource, base string) error {
	cur, what := "", strings.TrimSuffix(src.folder, "/")
	if src.page != nil {
		cur, what = src.page.Revision, src.page.Name
	} else {
		var err error
		if cur, err = pagetree.FolderRevision(ctx, w.DB.R, src.folder); err != nil {
			return err
		}
	}
	if cur != base {
		return wiki.Errorf(wiki.EPRECONDITION, "%q changed since revision %s", what, shortID(base))
	}
	return nil
}

// movePlan maps every moving path to its new path.
type movePlan struct {
	paths map[string]string // old repository path → new
	pages map[string]string // old page name → new
	order []string          // old paths, sorted
}

func newMovePlan(src *moveSource, from, to string) *movePlan {
	p := &movePlan{paths: map[string]string{}, pages: map[string]string{}}
	if src.page != nil {
		p.add(src.page.File, wiki.PageFile(to))
	}
	for _, f := range src.files {
		p.add(f.Path, to+"/"+f.Path[len(src.folder):])
	}
	sort.Strings(p.order)
	return p
}

func (p *movePlan) add(old, new string) {
	p.paths[old] = new
	p.order = append(p.order, old)
	if on, ok := pageName(old); ok {
		nn, _ := wiki.PageNameOf(new)
		p.pages[on] = nn
	}
}

// checkFree refuses a move onto anything that exists and does not move
// away in the same commit; pages are compared ignoring case, as lookups are.
func (p *movePlan) checkFree(all []gitrepo.TreeFile) error {
	staying := map[string]string{}
	for _, f := range all {
		if _, moving := p.paths[f.Path]; !moving {
			staying[strings.ToLower(f.Path)] = f.Path
		}
	}
	for _, old := range p.order {
		if other, ok := staying[strings.ToLower(p.paths[old])]; ok {
			name, isPage := wiki.PageNameOf(other)
			if !isPage {
				name = other
			}
			return wiki.Errorf(wiki.EEXISTS, "%q already exists", name)
		}
	}
	return nil
}

// moveChanges lists the commit's file changes: each moving file deleted and
// written at its new path, and with rewriting on, every other page whose
// links change.
func (w *Wiki) moveChanges(ctx context.Context, plan *movePlan, src *moveSource, rewrite bool) ([]gitrepo.FileChange, []string, error) {
	var lm *linkMove
	if rewrite {
		var err error
		if lm, err = w.linkMoveFor(ctx, plan, src.all); err != nil {
			return nil, nil, err
		}
	}
	var changes []gitrepo.FileChange
	var rewritten []string
	for _, f := range src.all {
		to, moving := plan.paths[f.Path]
		name, isPage := pageName(f.Path)
		if !moving && (lm == nil || !isPage || !regularFile(f.Mode)) {
			continue
		}
		if moving && !gitrepo.IsPlainFile(f.Mode) {
			return nil, nil, wiki.Errorf(wiki.EINVALID, "%s is a symbolic link or submodule; move it with git", f.Path)
		}
		content, err := w.Repo.ReadBlob(ctx, f.Blob)
		if err != nil {
			return nil, nil, err
		}
		if lm != nil && isPage && lm.mentions(content, moving) {
			newName, _ := wiki.PageNameOf(to)
			if !moving {
				newName = name
			}
			var changed bool
			if content, changed = lm.rewriteLinks(content, name, newName); changed {
				rewritten = append(rewritten, newName)
			}
			if changed && !moving {
				changes = append(changes, gitrepo.FileChange{Path: f.Path, Content: content})
			}
		}
		if moving {
			changes = append(changes, gitrepo.FileChange{Path: f.Path, Delete: true},
				gitrepo.FileChange{Path: to, Content: content})
		}
	}
	return changes, rewritten, nil
}

// linkMoveFor prepares link rewriting for a plan in this wiki's link style.
func (w *Wiki) linkMoveFor(ctx context.Context, plan *movePlan, all []gitrepo.TreeFile) (*linkMove, error) {
	prefs, err := w.Preferences(ctx)
	if err != nil {
		return nil, err
	}
	style := prefs.LinkStyle
	if style == "" {
		style = w.DefaultLinkStyle
	}
	lm := &linkMove{pages: map[string]string{}, files: map[string]string{}, exist: map[string]bool{},
		style: style, base: w.Base}
	for old, new := range plan.pages {
		lm.pages[strings.ToLower(old)] = new
	}
	for old, new := range plan.paths {
		if _, ok := pageName(old); !ok {
			lm.files[old] = new
		}
	}
	for _, f := range all {
		lm.exist[strings.ToLower(f.Path)] = true
	}
	return lm, nil
}

// mentions is a cheap test before parsing: could this page link to
// anything that moves? A moving page is always parsed (its relative links
// are re-aimed).
func (m *linkMove) mentions(content []byte, moving bool) bool {
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
