package storage

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/wiki"
)

// Folder bounds of the page index.
const (
	defaultFolderN = 100
	maxFolderN     = 1000
)

// folders is Folders' body. Counts come from one grouped range scan of the
// page index below prefix, so they are right however many pages there are.
func (w *Wiki) folders(ctx context.Context, prefix, after string, limit int) ([]wiki.Folder, error) {
	if err := validPrefix(prefix); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = defaultFolderN
	}
	limit = min(limit, maxFolderN)
	n := utf8.RuneCountInString(prefix) // substr counts characters
	q := `SELECT substr(name, ? + 1, instr(substr(name, ? + 1), '/') - 1) AS folder, count(*) AS n
		FROM pages WHERE name >= ? AND instr(substr(name, ? + 1), '/') > 0 AND chrome = 0`
	args := []any{n, n, prefix, n}
	if hi := prefixEnd(prefix); hi != "" {
		q += ` AND name < ?`
		args = append(args, hi)
	}
	q += ` GROUP BY folder HAVING folder > ? ORDER BY folder LIMIT ?`
	var rows []struct {
		Folder string `db:"folder"`
		N      int    `db:"n"`
	}
	if err := w.DB.R.SelectContext(ctx, &rows, q, append(args, after, limit)...); err != nil {
		return nil, err
	}
	out := make([]wiki.Folder, len(rows))
	for i, r := range rows {
		out[i] = wiki.Folder{Name: r.Folder, Path: prefix + r.Folder + "/", Count: r.N}
	}
	return out, nil
}

// pagesIn is PagesIn's body: the pages directly in a folder (not in its
// sub-folders), in name order after the cursor.
func (w *Wiki) pagesIn(ctx context.Context, prefix, after string, limit int) ([]wiki.PageInfo, error) {
	if err := validPrefix(prefix); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = defaultListN
	}
	limit = min(limit, maxListN)
	n := utf8.RuneCountInString(prefix)
	q := `SELECT name, title, blob, revision FROM pages
		WHERE name > ? AND name >= ? AND instr(substr(name, ? + 1), '/') = 0 AND chrome = 0`
	args := []any{after, prefix, n}
	if hi := prefixEnd(prefix); hi != "" {
		q += ` AND name < ?`
		args = append(args, hi)
	}
	q += ` ORDER BY name LIMIT ?`
	var pages []wiki.PageInfo
	err := w.DB.R.SelectContext(ctx, &pages, q, append(args, limit)...)
	return pages, err
}

// validPrefix accepts "" or a valid folder path ending in "/".
func validPrefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	if !strings.HasSuffix(prefix, "/") {
		return wiki.Errorf(wiki.EINVALID, "folder %q must end in /", prefix)
	}
	return wiki.ValidateFilePath(strings.TrimSuffix(prefix, "/")) // a folder is a path: never ".."
}

// folderRevision is FolderRevision's body: the newest revision of the
// pages below the folder (prefix ends in "/"), or ENOTFOUND without any.
func (w *Wiki) folderRevision(ctx context.Context, prefix string) (string, error) {
	var rev string
	err := w.DB.R.GetContext(ctx, &rev, `SELECT revision FROM pages WHERE name >= ? AND name < ?
		ORDER BY updated_at DESC, revision LIMIT 1`, prefix, prefixEnd(prefix))
	if errors.Is(err, sql.ErrNoRows) {
		return "", wiki.Errorf(wiki.ENOTFOUND, "folder %q holds no pages", strings.TrimSuffix(prefix, "/"))
	}
	return rev, err
}

// deleteFolder is DeleteFolder's body: every file below the folder (pages,
// attachments, sub-folders) removed in one commit, if no page in it changed
// since baseRevision (see FolderRevision).
func (w *Wiki) deleteFolder(ctx context.Context, folder, baseRevision, message string, author *wiki.Caller) (string, error) {
	folder = strings.Trim(folder, "/")
	if err := wiki.ValidateFilePath(folder); err != nil {
		return "", err
	}
	if baseRevision == "" {
		return "", wiki.Errorf(wiki.EPRECONDITIONNEEDED, "deleting folder %q needs its current revision", folder)
	}
	if err := validRevision(baseRevision); err != nil {
		return "", err
	}
	if author == nil {
		author = &wiki.Caller{}
	}
	var rev string
	err := w.writeOp(ctx, func(head string) error {
		all, err := w.Repo.ListFiles(ctx, head)
		if err != nil {
			return err
		}
		prefix := storedFolder(all, folder)
		cur, err := w.folderRevision(ctx, prefix)
		if err != nil {
			return err
		}
		if cur != baseRevision {
			return wiki.Errorf(wiki.EPRECONDITION, "folder %q changed since revision %s", folder, shortID(baseRevision))
		}
		var changes []gitrepo.FileChange
		for _, f := range all {
			if strings.HasPrefix(f.Path, prefix) {
				changes = append(changes, gitrepo.FileChange{Path: f.Path, Delete: true})
			}
		}
		rev, err = w.commit(ctx, author, gitrepo.CommitRequest{
			Parent: head, Changes: changes, When: w.now(),
			Message:    commitMessage(message, "Delete folder", strings.TrimSuffix(prefix, "/")),
			AuthorName: author.AuthorName(), AuthorEmail: author.AuthorEmail(),
		})
		if err != nil {
			return err
		}
		return w.afterCommit(ctx)
	})
	return rev, err
}

// tags is Tags' body: every tag with its pages, tags in order.
func (w *Wiki) tags(ctx context.Context) ([]wiki.Tag, error) {
	var rows []struct {
		Tag   string `db:"tag"`
		Label string `db:"label"`
		wiki.PageInfo
	}
	err := w.DB.R.SelectContext(ctx, &rows, `
		SELECT t.tag, t.label, p.name, p.title, p.blob, p.revision
		FROM page_tags t JOIN pages p ON p.name = t.page ORDER BY t.tag, p.name`)
	if err != nil {
		return nil, err
	}
	var out []wiki.Tag
	last := ""
	for i, r := range rows {
		if i == 0 || r.Tag != last {
			out = append(out, wiki.Tag{Tag: r.Label})
			last = r.Tag
		}
		t := &out[len(out)-1]
		t.Pages = append(t.Pages, r.PageInfo)
	}
	return out, nil
}

// feed is Feed's body: the latest changes with the size of each diff.
func (w *Wiki) feed(ctx context.Context, name string, limit int) ([]wiki.FeedEntry, error) {
	entries, err := w.Changes(ctx, name, limit, 0)
	if err != nil {
		return nil, err
	}
	out := make([]wiki.FeedEntry, len(entries))
	for i, e := range entries {
		out[i].Change = e.Change
		parents, err := w.Repo.Parents(ctx, e.Revision)
		if err != nil {
			return nil, err
		}
		var before []byte
		if len(parents) > 0 {
			if before, _, err = w.contentAt(ctx, e.Page, parents[0]); err != nil {
				return nil, err
			}
		}
		after, _, err := w.contentAt(ctx, e.Page, e.Revision)
		if err != nil {
			return nil, err
		}
		out[i].Added, out[i].Removed = fileCounts(before, after)
	}
	return out, nil
}
