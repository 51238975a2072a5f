package index

import (
	"context"
	"database/sql"
	"errors"
	"path"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/wiki"
)

// indexWriter holds the statements one Sync runs many times, prepared once.
type indexWriter struct {
	ctx      context.Context
	blobs    blobReader // where this catch-up reads blobs
	tx       *sqlx.Tx
	version  int
	stmts    map[string]*sqlx.Stmt // bound to tx, by name, as first used
	prepared map[string]*sqlx.Stmt // prepared on the writer (Indexer.prepared), or nil
	// fresh is, in a build into empty tables (Build), the pages written
	// so far; nil otherwise. See mayHold.
	fresh map[string]bool
}

// blobReader reads a blob's content by id: the walk's object store while
// the commits are written (renames compare texts), the repository after.
type blobReader interface {
	ReadBlob(ctx context.Context, id string) ([]byte, error)
}

// Statements of the indexer, by short name.
var indexSQL = map[string]string{
	"oldBlob": `SELECT blob FROM pages WHERE name = ?`,
	"upsert": `INSERT INTO pages(name, lname, title, blob, revision, updated_at, file, nkey, nbase, chrome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(name) DO UPDATE SET lname = excluded.lname, title = excluded.title, blob = excluded.blob,
		revision = excluded.revision, updated_at = excluded.updated_at, file = excluded.file,
		nkey = excluded.nkey, nbase = excluded.nbase, chrome = excluded.chrome
		RETURNING rowid`,
	"remove":    `DELETE FROM pages WHERE name = ? AND file = ? RETURNING rowid, blob`,
	"ftsDelete": `DELETE FROM pages_fts WHERE rowid = ?`,
	"ttlDelete": `DELETE FROM titles_fts WHERE rowid = ?`,
	"ttlInsert": `INSERT INTO titles_fts(rowid, name, title) VALUES (?, ?, ?)`,
	"ftsInsert": `INSERT INTO pages_fts(rowid, name, title, body, fold) VALUES (?, ?, ?, ?, ?)`,
	"untag":     `DELETE FROM page_tags WHERE page = ?`,
	"tag":       `INSERT OR IGNORE INTO page_tags(page, tag, label) VALUES (?, ?, ?)`,
	"redirect": `INSERT INTO redirects(lname, target, revision) VALUES (?, ?, ?)
		ON CONFLICT(lname) DO UPDATE SET target = excluded.target, revision = excluded.revision`,
	"redirectChain": `UPDATE redirects SET target = ?, revision = ? WHERE target = ?`,
	"redirectSelf":  `DELETE FROM redirects WHERE lname = ? AND target = ?`,
	"unlink":        `DELETE FROM links WHERE src = ?`,
	"link":          `INSERT OR IGNORE INTO links(src, dst, dkey) VALUES (?, ?, ?)`,
	"cache": `INSERT INTO render_cache(blob, renderer_version, html, toc) VALUES (?, ?, ?, ?)
		ON CONFLICT(blob, renderer_version) DO UPDATE SET html = excluded.html, toc = excluded.toc`,
	"prune":   `DELETE FROM render_cache WHERE blob = ? AND NOT EXISTS (SELECT 1 FROM pages WHERE blob = ?)`,
	"change":  `INSERT INTO changes(revision, page, action, author, message, at) VALUES (?, ?, ?, ?, ?, ?)`,
	"unalias": `DELETE FROM aliases WHERE page = ?`,
	"alias":   `INSERT OR IGNORE INTO aliases(akey, page) VALUES (?, ?)`,
	"putFile": `INSERT INTO files(path, lpath, lbase, blob) VALUES (?, ?, ?, ?)
		ON CONFLICT(path) DO UPDATE SET blob = excluded.blob`,
	"dropFile": `DELETE FROM files WHERE path = ?`,
}

// newIndexWriter binds the statements to tx as they are first used: those
// prepared on the writer once per open wiki (prepared, nil if that failed
// or for a build in a new file) are reused, since the writer has a single
// connection; the rest are prepared in tx. A plan so pays only for the
// statements it runs (a new wiki's first index runs half of them).
func newIndexWriter(ctx context.Context, tx *sqlx.Tx, version int, prepared map[string]*sqlx.Stmt) *indexWriter {
	return &indexWriter{ctx: ctx, tx: tx, version: version, prepared: prepared, stmts: make(map[string]*sqlx.Stmt, len(indexSQL))}
}

func (wr *indexWriter) close() {
	for _, st := range wr.stmts {
		st.Close()
	}
}

// stmt returns the named statement bound to the transaction.
func (wr *indexWriter) stmt(name string) (*sqlx.Stmt, error) {
	if st := wr.stmts[name]; st != nil {
		return st, nil
	}
	var st *sqlx.Stmt
	var err error
	if p := wr.prepared[name]; p != nil {
		st = wr.tx.StmtxContext(wr.ctx, p)
	} else if st, err = wr.tx.PreparexContext(wr.ctx, indexSQL[name]); err != nil {
		return nil, err
	}
	wr.stmts[name] = st
	return st, nil
}

func (wr *indexWriter) exec(name string, args ...any) error {
	st, err := wr.stmt(name)
	if err == nil {
		_, err = st.ExecContext(wr.ctx, args...)
	}
	return err
}

// get runs a named statement that returns one row into dest.
func (wr *indexWriter) get(dest any, name string, args ...any) error {
	st, err := wr.stmt(name)
	if err == nil {
		err = st.GetContext(wr.ctx, dest, args...)
	}
	return err
}

// clear empties the derived tables before a rebuild. The render cache is
// kept: it is keyed by blob, so what it holds is still right.
func (wr *indexWriter) clear() error {
	for _, t := range []string{"pages", "pages_fts", "links", "changes", "page_tags", "redirects", "titles_fts", "aliases", "files"} {
		if _, err := wr.tx.ExecContext(wr.ctx, "DELETE FROM "+t); err != nil {
			return err
		}
	}
	return nil
}

// addChanges records one change-log row per page the commit touched.
func (wr *indexWriter) addChanges(c *gitrepo.CommitInfo) error {
	for _, ch := range c.Changes {
		name, ok := PageName(ch.Path)
		if !ok {
			continue
		}
		msg := strings.TrimSpace(c.Message)
		if err := wr.exec("change", c.ID, name, ch.Action, c.Author, msg, formatTime(c.Time)); err != nil {
			return err
		}
	}
	return nil
}

// mayHold reports whether the tables may hold rows of page name already,
// to be looked up and replaced: always, except for a name's first write in
// a fresh build, which so prepares and runs none of the lookups and
// deletes. (Two files can be one page: Home.md and home.md.)
func (wr *indexWriter) mayHold(name string) bool {
	if wr.fresh == nil || wr.fresh[name] {
		return true
	}
	wr.fresh[name] = true
	return false
}

// putPage stores a page's row, search text and outgoing links. The FTS row
// shares the page row's rowid, which an upsert keeps, so replacing a page's
// text never scans the search table.
func (wr *indexWriter) putPage(f pageState, s SearchRow, title string, r *wiki.Rendered) error {
	replace := wr.mayHold(f.name)
	var old string
	if replace {
		err := wr.get(&old, "oldBlob", f.name)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	var rowid int64
	err := wr.get(&rowid, "upsert",
		f.name, strings.ToLower(f.name), title, f.blob, f.revision, formatTime(f.at), f.file,
		wiki.NameKey(f.name), wiki.NameKey(path.Base(f.name)), wiki.IsChromePage(f.name))
	if err != nil {
		return err
	}
	if replace {
		if err := wr.dropRows(f.name, rowid); err != nil {
			return err
		}
	}
	if err := wr.addAliases(f.name, r.Aliases); err != nil {
		return err
	}
	if err := wr.exec("ftsInsert", rowid, s.Name, s.Title, s.Body, s.Fold); err != nil {
		return err
	}
	if err := wr.exec("ttlInsert", rowid, s.Name, s.Title); err != nil {
		return err
	}
	if err := wr.addTags(f.name, r.Tags); err != nil {
		return err
	}
	if err := wr.addLinks(f.name, r.Links); err != nil {
		return err
	}
	if old != "" && old != f.blob {
		return wr.exec("prune", old, old)
	}
	return nil
}

// removePage drops a page whose file is gone, unless another file (same
// name, other case of extension) has taken the page over.
func (wr *indexWriter) removePage(f pageState) error {
	var row struct {
		RowID int64  `db:"rowid"`
		Blob  string `db:"blob"`
	}
	err := wr.get(&row, "remove", f.name, f.file)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return err
	}
	if err := wr.dropRows(f.name, row.RowID); err != nil {
		return err
	}
	return wr.exec("prune", row.Blob, row.Blob)
}

// dropRows deletes what is derived from page name (whose row has rowid)
// besides its row: search text, links, tags and aliases.
func (wr *indexWriter) dropRows(name string, rowid int64) error {
	for _, st := range []string{"ftsDelete", "ttlDelete"} {
		if err := wr.exec(st, rowid); err != nil {
			return err
		}
	}
	for _, st := range []string{"unlink", "untag", "unalias"} {
		if err := wr.exec(st, name); err != nil {
			return err
		}
	}
	return nil
}

// addLinks stores a page's outgoing links (dropRows dropped the old ones)
// with lower-cased targets, the form pages.lname and the renderer's
// data-wikilink use.
func (wr *indexWriter) addLinks(src string, targets []string) error {
	for _, t := range targets {
		if t = strings.ToLower(strings.TrimSpace(t)); t != "" {
			if err := wr.exec("link", src, t, wiki.NameKey(t)); err != nil {
				return err
			}
		}
	}
	return nil
}

// cache stores rendered HTML under its blob and the renderer version.
func (wr *indexWriter) cache(blob string, r *wiki.Rendered) error {
	return wr.exec("cache", blob, wr.version, r.HTML, r.TOC)
}

// addTags stores a page's front-matter tags (dropRows dropped the old
// ones); the renderer has already made them distinct ignoring case.
func (wr *indexWriter) addTags(page string, tags []string) error {
	for _, t := range tags {
		if t = strings.TrimSpace(t); t != "" {
			if err := wr.exec("tag", page, strings.ToLower(t), t); err != nil {
				return err
			}
		}
	}
	return nil
}
