package storage

import (
	"context"
	"database/sql"
	"errors"
	"path"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/internal/search"
	"github.com/warren-wiki/warren/wiki"
)

// apply writes a plan in one writer transaction, watermark included, so
// readers see either the old index or the new one, never a mix.
func (w *Wiki) apply(ctx context.Context, p *indexPlan) error {
	// Prepare before BEGIN: the writer has one connection, and the
	// transaction below holds it until commit.
	stmts := w.indexStmts()
	tx, err := w.DB.W.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	defer w.memo.changed() // runs once the commit below is done (or failed)
	ix, err := newIndexWriter(ctx, tx, w.Renderer.Version(), stmts)
	if err != nil {
		return err
	}
	defer ix.close()
	if p.rebuild {
		if err := ix.clear(); err != nil {
			return err
		}
	}
	for i := range p.commits {
		if err := ix.addChanges(&p.commits[i]); err != nil {
			return err
		}
		if err := w.indexRenames(ix, &p.commits[i]); err != nil {
			return err
		}
	}
	for _, f := range p.files {
		if err := w.indexFile(ix, f); err != nil {
			return err
		}
	}
	for _, f := range p.others {
		if err := ix.putFile(f); err != nil {
			return err
		}
	}
	if p.rebuild {
		if _, err := tx.ExecContext(ctx, `DELETE FROM render_cache WHERE blob NOT IN (SELECT blob FROM pages)`); err != nil {
			return err
		}
	}
	if err := setMeta(ctx, tx, metaIndexed, p.head); err != nil {
		return err
	}
	return tx.Commit()
}

// indexFile reads and renders one page's final blob and stores all that is
// derived from it; the HTML goes into the render cache so the first view
// after a save or push is already warm.
func (w *Wiki) indexFile(ix *indexWriter, f pageState) error {
	if f.blob == "" {
		return ix.removePage(f)
	}
	content, err := w.Repo.ReadBlob(ix.ctx, f.blob)
	if err != nil {
		return err
	}
	r, err := w.Renderer.Render(content, w.renderOptions(f.name))
	if err != nil || r == nil {
		// A page the renderer cannot handle stays findable by its raw text.
		r = &wiki.Rendered{Text: string(content)}
	} else if err := ix.cache(f.blob, r); err != nil {
		return err
	}
	title := r.Title // the front matter's title wins
	if title == "" {
		title = pageTitle(f.name, content)
	}
	return ix.putPage(f, title, r)
}

// indexWriter holds the statements one Sync runs many times, prepared once.
type indexWriter struct {
	ctx     context.Context
	tx      *sqlx.Tx
	version int
	stmts   map[string]*sqlx.Stmt
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

// indexRenames records the pages a commit renamed as redirects.
func (w *Wiki) indexRenames(ix *indexWriter, c *gitrepo.CommitInfo) error {
	renames, err := w.commitRenames(ix.ctx, c)
	if err != nil {
		return err
	}
	for _, r := range renames {
		if err := ix.addRedirect(r, c.ID); err != nil {
			return err
		}
	}
	return nil
}

// newIndexWriter binds the statements to tx: those prepared on the writer
// once per open wiki (prepared, nil if that failed) are reused, since the
// writer has a single connection; the rest are prepared here.
func newIndexWriter(ctx context.Context, tx *sqlx.Tx, version int, prepared map[string]*sqlx.Stmt) (*indexWriter, error) {
	ix := &indexWriter{ctx: ctx, tx: tx, version: version, stmts: make(map[string]*sqlx.Stmt, len(indexSQL))}
	for name, q := range indexSQL {
		var st *sqlx.Stmt
		var err error
		if p := prepared[name]; p != nil {
			st = tx.StmtxContext(ctx, p)
		} else {
			st, err = tx.PreparexContext(ctx, q)
		}
		if err != nil {
			ix.close()
			return nil, err
		}
		ix.stmts[name] = st
	}
	return ix, nil
}

func (ix *indexWriter) close() {
	for _, st := range ix.stmts {
		st.Close()
	}
}

func (ix *indexWriter) exec(name string, args ...any) error {
	_, err := ix.stmts[name].ExecContext(ix.ctx, args...)
	return err
}

// clear empties the derived tables before a rebuild. The render cache is
// kept: it is keyed by blob, so what it holds is still right.
func (ix *indexWriter) clear() error {
	for _, t := range []string{"pages", "pages_fts", "links", "changes", "page_tags", "redirects", "titles_fts", "aliases", "files"} {
		if _, err := ix.tx.ExecContext(ix.ctx, "DELETE FROM "+t); err != nil {
			return err
		}
	}
	return nil
}

// addChanges records one change-log row per page the commit touched.
func (ix *indexWriter) addChanges(c *gitrepo.CommitInfo) error {
	for _, ch := range c.Changes {
		name, ok := pageName(ch.Path)
		if !ok {
			continue
		}
		msg := strings.TrimSpace(c.Message)
		if err := ix.exec("change", c.ID, name, ch.Action, c.Author, msg, formatTime(c.Time)); err != nil {
			return err
		}
	}
	return nil
}

// putPage stores a page's row, search text and outgoing links. The FTS row
// shares the page row's rowid, which an upsert keeps, so replacing a page's
// text never scans the search table.
func (ix *indexWriter) putPage(f pageState, title string, r *wiki.Rendered) error {
	var old string
	err := ix.stmts["oldBlob"].GetContext(ix.ctx, &old, f.name)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	var rowid int64
	err = ix.stmts["upsert"].GetContext(ix.ctx, &rowid,
		f.name, strings.ToLower(f.name), title, f.blob, f.revision, formatTime(f.at), f.file,
		wiki.NameKey(f.name), wiki.NameKey(path.Base(f.name)), wiki.IsChromePage(f.name))
	if err != nil {
		return err
	}
	if err := ix.setAliases(f.name, r.Aliases); err != nil {
		return err
	}
	if err := ix.exec("ftsDelete", rowid); err != nil {
		return err
	}
	if err := ix.exec("ttlDelete", rowid); err != nil {
		return err
	}
	body := search.Text(r.Text)
	err = ix.exec("ftsInsert", rowid, search.FoldText(f.name), search.FoldText(title), body, search.FoldedWords(body))
	if err != nil {
		return err
	}
	if err := ix.exec("ttlInsert", rowid, search.FoldText(f.name), search.FoldText(title)); err != nil {
		return err
	}
	if err := ix.setTags(f.name, r.Tags); err != nil {
		return err
	}
	if err := ix.setLinks(f.name, r.Links); err != nil {
		return err
	}
	if old != "" && old != f.blob {
		return ix.exec("prune", old, old)
	}
	return nil
}

// removePage drops a page whose file is gone, unless another file (same
// name, other case of extension) has taken the page over.
func (ix *indexWriter) removePage(f pageState) error {
	var row struct {
		RowID int64  `db:"rowid"`
		Blob  string `db:"blob"`
	}
	err := ix.stmts["remove"].GetContext(ix.ctx, &row, f.name, f.file)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return err
	}
	if err := ix.exec("ftsDelete", row.RowID); err != nil {
		return err
	}
	if err := ix.exec("ttlDelete", row.RowID); err != nil {
		return err
	}
	if err := ix.exec("unlink", f.name); err != nil {
		return err
	}
	if err := ix.exec("untag", f.name); err != nil {
		return err
	}
	if err := ix.exec("unalias", f.name); err != nil {
		return err
	}
	return ix.exec("prune", row.Blob, row.Blob)
}

// setLinks replaces a page's outgoing links with lower-cased targets, the
// form pages.lname and the renderer's data-wikilink use.
func (ix *indexWriter) setLinks(src string, targets []string) error {
	if err := ix.exec("unlink", src); err != nil {
		return err
	}
	for _, t := range targets {
		if t = strings.ToLower(strings.TrimSpace(t)); t != "" {
			if err := ix.exec("link", src, t, wiki.NameKey(t)); err != nil {
				return err
			}
		}
	}
	return nil
}

// cache stores rendered HTML under its blob and the renderer version.
func (ix *indexWriter) cache(blob string, r *wiki.Rendered) error {
	return ix.exec("cache", blob, ix.version, r.HTML, r.TOC)
}

// setTags replaces a page's front-matter tags; the renderer has already
// made them distinct ignoring case.
func (ix *indexWriter) setTags(page string, tags []string) error {
	if err := ix.exec("untag", page); err != nil {
		return err
	}
	for _, t := range tags {
		if t = strings.TrimSpace(t); t != "" {
			if err := ix.exec("tag", page, strings.ToLower(t), t); err != nil {
				return err
			}
		}
	}
	return nil
}
