package robot

import (
	"context"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/wiki"
)

// RenewSettingsToken gives wikis new settings tokens (wiki.Wiki's
// SettingsToken), in one transaction. Call it after every change of a
// wiki's preferences has committed: pages cached with the old
// preferences, by this process or another one, are then never served
// again, because every request reads the wiki's row from robot.db as it
// is now. ENOTFOUND (and nothing renewed) if a wiki does not exist.
func (r *Robot) RenewSettingsToken(ctx context.Context, slugs ...string) error {
	return r.writeTx(ctx, func(tx *sqlx.Tx) error {
		for _, slug := range slugs {
			res, err := tx.ExecContext(ctx, `UPDATE wikis SET settings_token = lower(hex(randomblob(16))) WHERE slug = ?`, slug)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				return notFoundOr(err, slug)
			}
		}
		return nil
	})
}

// notFoundOr is err, or ENOTFOUND for slug when there is none.
func notFoundOr(err error, slug string) error {
	if err != nil {
		return err
	}
	return wiki.Errorf(wiki.ENOTFOUND, "wiki %q does not exist", slug)
}
