package storage

import (
	"sync"

	"github.com/jmoiron/sqlx"
)

// The statements every page view runs are prepared once per open wiki, so
// a warm view spends its time reading, not parsing SQL.
const (
	stmtPage = iota
	numReadStmts
)

var readSQL = [numReadStmts]string{
	stmtPage: `
		SELECT p.name, p.file, p.title, p.blob, p.revision, c.html, c.toc
		FROM pages p LEFT JOIN render_cache c ON c.blob = p.blob AND c.renderer_version = ?
		WHERE p.lname = ? ORDER BY p.name = ? DESC, p.name LIMIT 1`,
}

// readStmts holds the prepared view statements of one wiki.
type readStmts struct {
	once  sync.Once
	stmts [numReadStmts]*sqlx.Stmt
}

// readStmt returns a prepared statement, preparing all of them on first
// use; nil if preparing failed, and the caller then runs the SQL directly.
func (w *Wiki) readStmt(i int) *sqlx.Stmt {
	w.reads.once.Do(func() {
		for j, q := range readSQL {
			st, err := w.DB.R.Preparex(q)
			if err != nil {
				w.closeReadStmts()
				return
			}
			w.reads.stmts[j] = st
		}
	})
	return w.reads.stmts[i]
}

// closeReadStmts releases the prepared statements before wiki.db closes.
func (w *Wiki) closeReadStmts() {
	for i, st := range w.reads.stmts {
		if st != nil {
			st.Close()
			w.reads.stmts[i] = nil
		}
	}
}
