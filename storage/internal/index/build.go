package index

import (
	"context"

	"github.com/jmoiron/sqlx"
)

// Build writes the whole index of HEAD, watermark included, into tx: a
// transaction on a new database whose derived tables are empty, before the
// file is put in place (sqlitedb.CreateDB's seed). A new wiki's first
// request so writes its index into the file being built, with no WAL and
// under the one fsync that makes the new file durable, instead of in a
// second transaction on the live file; and nothing is cleared, since
// nothing is there. A crash before the file is in place loses only
// derived data, which the next open builds again.
func (ix *Indexer) Build(ctx context.Context, tx *sqlx.Tx) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	head, err := ix.Repo.Head(ctx)
	if err != nil {
		return err
	}
	p, err := ix.plan(ctx, "", head)
	if err != nil {
		return err
	}
	defer p.close()
	p.fresh = true
	wr := newIndexWriter(ctx, tx, ix.Renderer.Version(), nil)
	wr.fresh = map[string]bool{}
	defer wr.close()
	if ix.Changed != nil {
		defer ix.Changed()
	}
	return ix.writePlan(ctx, &written{ix: ix, tx: tx, wr: wr}, p)
}
