package pagetree

import (
	"context"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/wiki"
)

// Tree bounds: children listed per folder by default and at most.
const (
	DefaultTreeN = 200
	MaxTreeN     = 1000
	treeBatch    = 256
)

// Tree lists the children of one folder of the page tree ("" = the root),
// in name order: its pages and its sub-folders, one entry each (a page and
// a folder of the same name share one). At most limit entries; more is
// true when there are others. It reads only the page index, skipping over
// each sub-folder's pages by key range, so a folder costs about as many
// rows as it has children, whatever the wiki's size.
func Tree(ctx context.Context, db sqlx.QueryerContext, dir string, limit int) (entries []wiki.TreeEntry, more bool, err error) {
	dir = strings.Trim(dir, "/")
	if dir != "" {
		if err := wiki.ValidateFilePath(dir); err != nil { // a folder is a path: never ".."
			return nil, false, err
		}
	}
	if limit <= 0 {
		limit = DefaultTreeN
	}
	limit = min(limit, MaxTreeN)
	t := level{prefix: dir, byName: map[string]int{}}
	if dir != "" {
		t.prefix += "/"
	}
	cursor := t.prefix
	for len(t.entries) <= limit {
		rows, err := treeRows(ctx, db, cursor, PrefixEnd(t.prefix))
		if err != nil || len(rows) == 0 {
			return t.cut(limit), len(t.entries) > limit, err
		}
		cursor = t.take(rows)
		if len(rows) < treeBatch {
			break // the folder's range is read to its end
		}
	}
	return t.cut(limit), len(t.entries) > limit, nil
}

// treeRow is one page of the index, as the tree reads it.
type treeRow struct {
	Name  string `db:"name"`
	Title string `db:"title"`
}

// treeRows reads one batch of pages from cursor (inclusive) below hi.
func treeRows(ctx context.Context, db sqlx.QueryerContext, cursor, hi string) ([]treeRow, error) {
	q := `SELECT name, title FROM pages WHERE name >= ? AND chrome = 0` // _Sidebar and _Footer are not pages of the tree
	args := []any{cursor}
	if hi != "" {
		q += ` AND name < ?`
		args = append(args, hi)
	}
	var rows []treeRow
	err := sqlx.SelectContext(ctx, db, &rows, q+` ORDER BY name LIMIT ?`, append(args, treeBatch)...)
	return rows, err
}

// level collects one folder's children while its pages are read.
type level struct {
	prefix  string
	entries []wiki.TreeEntry
	byName  map[string]int // entry index by child name
}

// take adds a batch of rows and returns where the next batch starts: after
// the last row, or past the last sub-folder seen, whichever is further.
func (t *level) take(rows []treeRow) string {
	next := ""
	skip := "" // the sub-folder whose pages are being passed over
	for _, r := range rows {
		if skip != "" && strings.HasPrefix(r.Name, skip) {
			continue
		}
		rest := r.Name[len(t.prefix):]
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			e := t.entry(rest[:i])
			e.Folder = true
			skip = t.prefix + rest[:i] + "/"
			next = PrefixEnd(skip)
			continue
		}
		e := t.entry(rest)
		e.Page, e.Title = true, r.Title
		next = r.Name + "\x00"
	}
	if last := rows[len(rows)-1].Name + "\x00"; last > next {
		next = last
	}
	return next
}

// entry is the child called name, added if it is new.
func (t *level) entry(name string) *wiki.TreeEntry {
	if i, ok := t.byName[name]; ok {
		return &t.entries[i]
	}
	t.byName[name] = len(t.entries)
	t.entries = append(t.entries, wiki.TreeEntry{Name: name, Path: t.prefix + name})
	return &t.entries[len(t.entries)-1]
}

// cut is the first limit entries.
func (t *level) cut(limit int) []wiki.TreeEntry {
	return t.entries[:min(len(t.entries), limit)]
}
