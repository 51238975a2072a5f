package index

import (
	"context"
	"database/sql"

	"github.com/jmoiron/sqlx"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/wiki"
)

// apply writes a plan in one writer transaction, watermark included, so
// readers see either the old index or the new one, never a mix.
func (ix *Indexer) apply(ctx context.Context, p *indexPlan) error {
	w, err := ix.write(ctx, p)
	if err != nil {
		return err
	}
	return w.end(true)
}

// written is a plan written into a transaction not yet committed.
type written struct {
	ix *Indexer
	tx *sqlx.Tx
	wr *indexWriter
}

// end commits the transaction (or rolls it back) and tells Changed.
func (w *written) end(commit bool) error {
	w.wr.close()
	var err error
	if commit {
		err = w.tx.Commit()
	} else {
		err = w.tx.Rollback()
	}
	if w.ix.Changed != nil {
		w.ix.Changed()
	}
	return err
}

// write writes a plan, watermark included, in a writer transaction that
// it leaves open: end commits it. On error nothing is left open.
func (ix *Indexer) write(ctx context.Context, p *indexPlan) (*written, error) {
	// Prepare before BEGIN: the writer has one connection, and the
	// transaction below holds it until commit.
	stmts := ix.prepared()
	tx, err := ix.DB.W.BeginTxx(ctx, nil)
	if err != nil {
		return nil, err
	}
	w := &written{ix: ix, tx: tx, wr: newIndexWriter(ctx, tx, ix.Renderer.Version(), stmts)}
	if err := ix.writePlan(ctx, w, p); err != nil {
		w.end(false)
		return nil, err
	}
	return w, nil
}

// writePlan is write's body, inside the open transaction.
func (ix *Indexer) writePlan(ctx context.Context, w *written, p *indexPlan) error {
	if p.rebuild && !p.fresh {
		if err := w.wr.clear(); err != nil {
			return err
		}
	}
	if err := ix.writeFiles(w.wr, p); err != nil {
		return err
	}
	// A fresh build's few pages make one segment per search table.
	if (p.rebuild && !p.fresh) || len(p.changes) >= optimizeAfter {
		if err := optimizeSearch(ctx, w.tx); err != nil {
			return err
		}
	}
	if p.rebuild && !p.fresh {
		if _, err := w.tx.ExecContext(ctx, `DELETE FROM render_cache WHERE blob NOT IN (SELECT blob FROM pages)`); err != nil {
			return err
		}
	}
	return setMark(ctx, w.tx, p.head)
}

// writeFiles writes the change log and the redirects commit by commit as
// the walk describes them, then the final state of every file that changed.
// The walk (and the pack files it maps) is closed before the pages are read
// and rendered.
func (ix *Indexer) writeFiles(wr *indexWriter, p *indexPlan) error {
	t := &touches{byPath: map[string]touch{}}
	if p.walk != nil {
		wr.blobs = p.walk
		err := p.walk.Each(wr.ctx, func(c *gitrepo.CommitInfo) error {
			t.add(c, p.head)
			if err := wr.addChanges(c); err != nil {
				return err
			}
			return ix.indexRenames(wr, c)
		})
		if err != nil {
			return err
		}
		p.close()
	}
	if t.head == nil && p.head != "" {
		rev, err := ix.Repo.Revision(wr.ctx, p.head)
		if err != nil {
			return err
		}
		t.head = &touch{id: rev.ID, at: rev.Time}
	}
	pages, others := p.states(t)
	if err := ix.writePages(wr, pages); err != nil {
		return err
	}
	for _, f := range others {
		if err := wr.putFile(f); err != nil {
			return err
		}
	}
	return nil
}

// A batch of pages is read, through a reader of its own, before it is
// rendered; the reader (its buffers and pack indexes) is closed first, so that it and
// rendering never need memory at the same time. The bounds keep a batch's
// texts small and a big wiki's batches few (each reader reads the pack
// indexes once).
const (
	batchBytes = 8 << 20
	batchPages = 1024
)

// writePages reads, renders and stores the pages batch by batch.
func (ix *Indexer) writePages(wr *indexWriter, pages []pageState) error {
	for len(pages) > 0 {
		texts, err := ix.readBatch(wr.ctx, pages)
		if err != nil {
			return err
		}
		for i := range texts {
			if err := ix.indexFile(wr, pages[i], texts[i]); err != nil {
				return err
			}
			texts[i] = nil
		}
		pages = pages[len(texts):]
	}
	return nil
}

// readBatch reads the texts of the first pages, as many as the bounds let
// (at least one); a removed page has no text.
func (ix *Indexer) readBatch(ctx context.Context, pages []pageState) ([][]byte, error) {
	rd, err := ix.Repo.OpenReader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	var texts [][]byte
	size := 0
	for _, f := range pages {
		if len(texts) > 0 && (size >= batchBytes || len(texts) >= batchPages) {
			break
		}
		var b []byte
		if f.blob != "" {
			if b, err = rd.ReadBlob(ctx, f.blob); err != nil {
				return nil, err
			}
		}
		size += len(b)
		texts = append(texts, b)
	}
	return texts, nil
}

// indexFile renders one page's final text and stores all that is derived
// from it; the HTML goes into the render cache so the first view after a
// save or push is already warm.
func (ix *Indexer) indexFile(wr *indexWriter, f pageState, content []byte) error {
	if f.blob == "" {
		return wr.removePage(f)
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
	renames, err := commitRenames(wr.ctx, wr.blobs, c)
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

// optimizeAfter is how many changed files make an index update worth
// merging the search tables' segments into one: a rebuild or a big push
// leaves a dozen FTS5 segments, and every term a search reads is looked up
// in each of them (measured on 5,000 pages: a fresh search 740 → 395 µs of
// CPU, for 106 ms of merging once). Small saves leave it to FTS5's own
// automerge.
const optimizeAfter = 256

// optimizeSearch merges each full-text table's segments into one, inside the
// index transaction so a reader never sees a half-merged table.
func optimizeSearch(ctx context.Context, tx interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}) error {
	for _, t := range []string{"pages_fts", "titles_fts"} {
		if _, err := tx.ExecContext(ctx, "INSERT INTO "+t+"("+t+") VALUES('optimize')"); err != nil {
			return err
		}
	}
	return nil
}
