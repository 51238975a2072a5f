package storage

import (
	"context"
	"strings"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/internal/linkmove"
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
	pageFile := ""
	if src.page != nil {
		pageFile = src.page.File
	}
	plan := linkmove.NewPlan(pageFile, src.folder, src.files, req.To)
	if err := plan.CheckFree(src.all); err != nil {
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
	res := &wiki.MoveResult{Path: req.To, Revision: rev, Moved: plan.Pages, Rewritten: rewritten}
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
		src.folder = linkmove.StoredFolder(all, from)
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

// moveChanges lists the commit's file changes: each moving file deleted and
// written at its new path, and with rewriting on, every other page whose
// links change.
func (w *Wiki) moveChanges(ctx context.Context, plan *linkmove.Plan, src *moveSource, rewrite bool) ([]gitrepo.FileChange, []string, error) {
	var lm *linkmove.Links
	if rewrite {
		style, err := w.linkStyleNow(ctx)
		if err != nil {
			return nil, nil, err
		}
		lm = plan.Links(src.all, style, w.Base)
	}
	var changes []gitrepo.FileChange
	var rewritten []string
	for _, f := range src.all {
		to, moving := plan.Paths[f.Path]
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
		if lm != nil && isPage && lm.Mentions(content, moving) {
			newName, _ := wiki.PageNameOf(to)
			if !moving {
				newName = name
			}
			var changed bool
			if content, changed = lm.Rewrite(content, name, newName); changed {
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

// linkStyleNow is the wiki's link style as its preferences say now, for
// rewriting links in the commit being built.
func (w *Wiki) linkStyleNow(ctx context.Context) (wiki.LinkStyle, error) {
	prefs, err := w.Preferences(ctx)
	if prefs.LinkStyle == "" {
		prefs.LinkStyle = w.DefaultLinkStyle
	}
	return prefs.LinkStyle, err
}
