package storage

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/warren-wiki/warren/wiki"
)

// A renamed page's old URL redirects to its new name; the indexer derives
// the redirects table from git's renames (storage/internal/index).

// redirect is Redirect's body: where a page that is not there went, if
// the target exists now.
func (w *Wiki) redirect(ctx context.Context, name string) (string, error) {
	if err := wiki.ValidatePageName(name); err != nil {
		return "", err
	}
	var target string
	err := w.DB.R.GetContext(ctx, &target, `SELECT target FROM redirects WHERE lname = ?`, strings.ToLower(name))
	if errors.Is(err, sql.ErrNoRows) {
		return "", wiki.Errorf(wiki.ENOTFOUND, "page %q does not exist", name)
	} else if err != nil {
		return "", err
	}
	row, err := w.indexedPage(ctx, target)
	if err != nil {
		return "", err
	}
	return row.Name, nil
}
