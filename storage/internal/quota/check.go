package quota

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/wiki"
)

// Check returns the quota the changes would break, if any: the pages of the
// page index (read through db) plus those the changes add, or the size of
// the repository in dir plus addBytes. Changes that only delete are never
// refused for bytes, so a full wiki can always be tidied.
func Check(ctx context.Context, db sqlx.QueryerContext, size *Size, dir string, now time.Time, q wiki.Quota, changes []wiki.PathChange, addBytes int64) (*wiki.QuotaError, error) {
	if q.MaxPages > 0 {
		delta, err := pageDelta(ctx, db, changes)
		if err != nil {
			return nil, err
		}
		if delta > 0 {
			n, err := pageCount(ctx, db)
			if err != nil {
				return nil, err
			}
			if n+delta > q.MaxPages {
				return &wiki.QuotaError{What: "pages", Used: n, Added: delta, Limit: q.MaxPages}, nil
			}
		}
	}
	if q.MaxBytes > 0 && addBytes > 0 && !onlyDeletes(changes) {
		used, err := size.Bytes(dir, now)
		if err != nil {
			return nil, err
		}
		if used+addBytes > q.MaxBytes {
			return &wiki.QuotaError{What: "bytes", Used: used, Added: addBytes, Limit: q.MaxBytes}, nil
		}
	}
	return nil, nil
}

// pageDelta is how many pages the changes add (new page files) minus how
// many they delete, against the page index of HEAD.
func pageDelta(ctx context.Context, db sqlx.QueryerContext, changes []wiki.PathChange) (int64, error) {
	var delta int64
	for _, c := range changes {
		name, ok := wiki.PageNameOf(c.Path)
		if !ok {
			continue
		}
		if c.Delete {
			delta--
			continue
		}
		var n int
		if err := sqlx.GetContext(ctx, db, &n, `SELECT count(*) FROM pages WHERE name = ?`, name); err != nil {
			return 0, err
		}
		if n == 0 {
			delta++
		}
	}
	return delta, nil
}

// onlyDeletes reports whether changes remove files and add none; a push
// that only deletes still brings a small pack, which must not be refused.
func onlyDeletes(changes []wiki.PathChange) bool {
	for _, c := range changes {
		if !c.Delete {
			return false
		}
	}
	return len(changes) > 0
}

// pageCount is the number of pages at HEAD, from the index.
func pageCount(ctx context.Context, db sqlx.QueryerContext) (int64, error) {
	var n int64
	err := sqlx.GetContext(ctx, db, &n, `SELECT count(*) FROM pages`)
	return n, err
}
