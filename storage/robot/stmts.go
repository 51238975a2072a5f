package robot

import (
	"context"
	"sync"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/wiki"
)

// Every wiki request looks its wiki up in robot.db, so that statement is
// prepared once per Robot: parsing the SQL cost as much as running it.

// robotStmts holds the prepared statements of the request path.
type robotStmts struct {
	once     sync.Once
	findWiki *sqlx.Stmt // nil if preparing failed: the SQL then runs directly
}

const findWikiSQL = `SELECT ` + wikiColumns + ` FROM wikis WHERE slug = ?`

// findWikiStmt returns the prepared lookup, preparing it on first use.
func (r *Robot) findWikiStmt() *sqlx.Stmt {
	r.stmts.once.Do(func() {
		if st, err := r.DB.R.Preparex(findWikiSQL); err == nil {
			r.stmts.findWiki = st
		}
	})
	return r.stmts.findWiki
}

// findWikiPrepared is findWiki on the reader pool through the prepared
// statement.
func (r *Robot) findWikiPrepared(ctx context.Context, slug string) (*wiki.Wiki, error) {
	st := r.findWikiStmt()
	if st == nil {
		return findWiki(ctx, r.DB.R, slug)
	}
	var row wikiRow
	err := st.GetContext(ctx, &row, slug)
	if robotNoRows(err) {
		return nil, wiki.Errorf(wiki.ENOTFOUND, "wiki %q does not exist", slug)
	} else if err != nil {
		return nil, err
	}
	return row.wiki()
}
