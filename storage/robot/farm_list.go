package robot

import (
	"context"
	"database/sql"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/wiki"
)

// WikisAfter lists at most limit wikis with slugs after after, by slug:
// the management API's pages, so a farm of thousands is never read whole.
func (r *Robot) WikisAfter(ctx context.Context, after string, limit int) ([]wiki.Wiki, error) {
	var rows []wikiRow
	err := sqlx.SelectContext(ctx, r.DB.R, &rows, `SELECT `+wikiColumns+` FROM wikis WHERE slug > ? ORDER BY slug LIMIT ?`, after, limit)
	if err != nil {
		return nil, err
	}
	out := make([]wiki.Wiki, 0, len(rows))
	for _, row := range rows {
		w, err := row.wiki()
		if err != nil {
			return nil, err
		}
		out = append(out, *w)
	}
	return out, nil
}

// QuotaOverrides maps every wiki with its own quota to it, for lists.
func (r *Robot) QuotaOverrides(ctx context.Context) (map[string]wiki.QuotaOverride, error) {
	var rows []struct {
		Wiki     string        `db:"wiki"`
		MaxBytes sql.NullInt64 `db:"max_bytes"`
		MaxPages sql.NullInt64 `db:"max_pages"`
	}
	if err := r.DB.R.SelectContext(ctx, &rows, `SELECT wiki, max_bytes, max_pages FROM quotas`); err != nil {
		return nil, err
	}
	out := make(map[string]wiki.QuotaOverride, len(rows))
	for _, row := range rows {
		var o wiki.QuotaOverride
		if row.MaxBytes.Valid {
			v := row.MaxBytes.Int64
			o.MaxBytes = &v
		}
		if row.MaxPages.Valid {
			v := row.MaxPages.Int64
			o.MaxPages = &v
		}
		out[row.Wiki] = o
	}
	return out, nil
}
