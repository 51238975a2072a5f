package index

import (
	"context"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/wiki"
)

// apply writes a plan in one writer transaction, watermark included, so
// readers see either the old index or the new one, never a mix.
func (ix *Indexer) apply(ctx context.Context, p *indexPlan) error {
	// Prepare before BEGIN: the writer has one connection, and the
	// transaction below holds it until commit.
	stmts := ix.prepared()
	tx, err := ix.DB.W.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if ix.Changed != nil {
		defer ix.Changed() // runs once the commit below is done (or failed)
	}
	wr, err := newIndexWriter(ctx, tx, ix.Renderer.Version(), stmts)
	if err != nil {
		return err
	}
	defer wr.close()
	if p.rebuild {
		if err := wr.clear(); err != nil {
			return err
		}
	}
	for i := range p.commits {
		if err := wr.addChanges(&p.commits[i]); err != nil {
			return err
		}
		if err := ix.indexRenames(wr, &p.commits[i]); err != nil {
			return err
		}
	}
	for _, f := range p.files {
		if err := ix.indexFile(wr, f); err != nil {
			return err
		}
	}
	for _, f := range p.others {
		if err := wr.putFile(f); err != nil {
			return err
		}
	}
	if p.rebuild {
		if _, err := tx.ExecContext(ctx, `DELETE FROM render_cache WHERE blob NOT IN (SELECT blob FROM pages)`); err != nil {
			return err
		}
	}
	if err := setMark(ctx, tx, p.head); err != nil {
		return err
	}
	return tx.Commit()
}

// indexFile reads and renders one page's final blob and stores all that is
// derived from it; the HTML goes into the render cache so the first view
// after a save or push is already warm.
func (ix *Indexer) indexFile(wr *indexWriter, f pageState) error {
	if f.blob == "" {
		return wr.removePage(f)
	}
	content, err := ix.Repo.ReadBlob(wr.ctx, f.blob)
	if err != nil {
		return err
	}
	r, err := ix.Renderer.Render(content, ix.Options(f.name))
	if err != nil || r == nil {
		// A page the renderer cannot handle stays findable by its raw text.
		r = &wiki.Rendered{Text: string(content)}
	} else if err := wr.cache(f.blob, r); err != nil {
		return err
	}
	title := r.Title // the front matter's title wins
	if title == "" {
		title = PageTitle(f.name, content)
	}
	return wr.putPage(f, ix.Search(f.name, title, r.Text), title, r)
}

// indexRenames records the pages a commit renamed as redirects.
func (ix *Indexer) indexRenames(wr *indexWriter, c *gitrepo.CommitInfo) error {
	renames, err := ix.commitRenames(wr.ctx, c)
	if err != nil {
		return err
	}
	for _, r := range renames {
		if err := wr.addRedirect(r, c.ID); err != nil {
			return err
		}
	}
	return nil
}
