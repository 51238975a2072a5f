package pagetree

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/wiki"
)

// Listing bounds: pages and folders listed by default and at most.
const (
	DefaultListN   = 100
	MaxListN       = 1000
	defaultFolderN = 100
	maxFolderN     = 1000
)

// PrefixEnd is the smallest string greater than every string with the
// prefix, or "" when there is none (empty prefix).
func PrefixEnd(prefix string) string {
	b := []byte(prefix)
	for len(b) > 0 && b[len(b)-1] == 0xff {
		b = b[:len(b)-1]
	}
	if len(b) == 0 {
		return ""
	}
	b[len(b)-1]++
	return string(b)
}

// ValidPrefix accepts "" or a valid folder path ending in "/", so a folder
// from a URL can never name anything outside the wiki.
func ValidPrefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	if !strings.HasSuffix(prefix, "/") {
		return wiki.Errorf(wiki.EINVALID, "folder %q must end in /", prefix)
	}
	return wiki.ValidateFilePath(strings.TrimSuffix(prefix, "/")) // a folder is a path: never ".."
}

// upTo adds the range's upper bound to q, unless the prefix has none.
func upTo(q string, args []any, prefix string) (string, []any) {
	if hi := PrefixEnd(prefix); hi != "" {
		return q + ` AND name < ?`, append(args, hi)
	}
	return q, args
}

// List is the pages below prefix in name order after the page named after,
// at most limit (DefaultListN when 0, never more than MaxListN). The prefix
// becomes a range on the primary key, so paging through a subtree reads
// only that subtree.
func List(ctx context.Context, db sqlx.QueryerContext, prefix, after string, limit int) ([]wiki.PageInfo, error) {
	if limit <= 0 {
		limit = DefaultListN
	}
	q, args := upTo(`SELECT name, title, blob, revision FROM pages WHERE name > ? AND name >= ? AND chrome = 0`,
		[]any{after, prefix}, prefix)
	var pages []wiki.PageInfo
	err := sqlx.SelectContext(ctx, db, &pages, q+` ORDER BY name LIMIT ?`, append(args, min(limit, MaxListN))...)
	return pages, err
}

// Folders lists the folders directly below prefix with the number of pages
// under each, in name order after the folder named after. Counts come from
// one grouped range scan, so they are right however many pages there are.
func Folders(ctx context.Context, db sqlx.QueryerContext, prefix, after string, limit int) ([]wiki.Folder, error) {
	if err := ValidPrefix(prefix); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = defaultFolderN
	}
	n := utf8.RuneCountInString(prefix) // substr counts characters
	q, args := upTo(`SELECT substr(name, ? + 1, instr(substr(name, ? + 1), '/') - 1) AS folder, count(*) AS n
		FROM pages WHERE name >= ? AND instr(substr(name, ? + 1), '/') > 0 AND chrome = 0`,
		[]any{n, n, prefix, n}, prefix)
	var rows []struct {
		Folder string `db:"folder"`
		N      int    `db:"n"`
	}
	q += ` GROUP BY folder HAVING folder > ? ORDER BY folder LIMIT ?`
	if err := sqlx.SelectContext(ctx, db, &rows, q, append(args, after, min(limit, maxFolderN))...); err != nil {
		return nil, err
	}
	out := make([]wiki.Folder, len(rows))
	for i, r := range rows {
		out[i] = wiki.Folder{Name: r.Folder, Path: prefix + r.Folder + "/", Count: r.N}
	}
	return out, nil
}

// PagesIn lists the pages directly in a folder (not in its sub-folders),
// in name order after the page named after.
func PagesIn(ctx context.Context, db sqlx.QueryerContext, prefix, after string, limit int) ([]wiki.PageInfo, error) {
	if err := ValidPrefix(prefix); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = DefaultListN
	}
	q, args := upTo(`SELECT name, title, blob, revision FROM pages
		WHERE name > ? AND name >= ? AND instr(substr(name, ? + 1), '/') = 0 AND chrome = 0`,
		[]any{after, prefix, utf8.RuneCountInString(prefix)}, prefix)
	var pages []wiki.PageInfo
	err := sqlx.SelectContext(ctx, db, &pages, q+` ORDER BY name LIMIT ?`, append(args, min(limit, MaxListN))...)
	return pages, err
}

// FolderRevision is the newest revision of the pages below the folder
// (prefix ends in "/"), or ENOTFOUND without any.
func FolderRevision(ctx context.Context, db sqlx.QueryerContext, prefix string) (string, error) {
	var rev string
	err := sqlx.GetContext(ctx, db, &rev, `SELECT revision FROM pages WHERE name >= ? AND name < ?
		ORDER BY updated_at DESC, revision LIMIT 1`, prefix, PrefixEnd(prefix))
	if errors.Is(err, sql.ErrNoRows) {
		return "", wiki.Errorf(wiki.ENOTFOUND, "folder %q holds no pages", strings.TrimSuffix(prefix, "/"))
	}
	return rev, err
}
