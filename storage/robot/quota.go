package robot

import (
	"context"
	"database/sql"
	"strconv"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/wiki"
)

// QuotaOverride is a wiki's own quota (nil fields: the server default);
// ENOTFOUND if the wiki does not exist.
func (r *Robot) QuotaOverride(ctx context.Context, slug string) (wiki.QuotaOverride, error) {
	tx, err := r.DB.R.BeginTxx(ctx, nil)
	if err != nil {
		return wiki.QuotaOverride{}, err
	}
	defer tx.Rollback()
	if _, err := findWiki(ctx, tx, slug); err != nil {
		return wiki.QuotaOverride{}, err
	}
	return quotaOverride(ctx, tx, slug)
}

func quotaOverride(ctx context.Context, q sqlx.QueryerContext, slug string) (wiki.QuotaOverride, error) {
	var row struct {
		MaxBytes sql.NullInt64 `db:"max_bytes"`
		MaxPages sql.NullInt64 `db:"max_pages"`
	}
	err := sqlx.GetContext(ctx, q, &row, `SELECT max_bytes, max_pages FROM quotas WHERE wiki = ?`, slug)
	if robotNoRows(err) {
		return wiki.QuotaOverride{}, nil
	} else if err != nil {
		return wiki.QuotaOverride{}, err
	}
	var o wiki.QuotaOverride
	if row.MaxBytes.Valid {
		o.MaxBytes = &row.MaxBytes.Int64
	}
	if row.MaxPages.Valid {
		o.MaxPages = &row.MaxPages.Int64
	}
	return o, nil
}

// Quota is the quota in force for a wiki: its override over DefaultQuota.
func (r *Robot) Quota(ctx context.Context, slug string) (wiki.Quota, error) {
	o, err := r.QuotaOverride(ctx, slug)
	if err != nil {
		return wiki.Quota{}, err
	}
	return o.Apply(r.DefaultQuota), nil
}

// SetQuota replaces a wiki's override (nil fields: back to the default)
// and records it in the audit trail. Negative figures are EINVALID.
func (r *Robot) SetQuota(ctx context.Context, actor, slug string, o wiki.QuotaOverride) error {
	if err := o.Validate(); err != nil {
		return err
	}
	return r.writeTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := findWiki(ctx, tx, slug); err != nil {
			return err
		}
		var err error
		if o.MaxBytes == nil && o.MaxPages == nil {
			_, err = tx.ExecContext(ctx, `DELETE FROM quotas WHERE wiki = ?`, slug)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO quotas (wiki, max_bytes, max_pages) VALUES (?, ?, ?)
				ON CONFLICT (wiki) DO UPDATE SET max_bytes = excluded.max_bytes, max_pages = excluded.max_pages`,
				slug, o.MaxBytes, o.MaxPages)
		}
		if err != nil {
			return err
		}
		return r.audit(ctx, tx, actor, slug, wiki.AuditQuota, "max_bytes="+figure(o.MaxBytes)+" max_pages="+figure(o.MaxPages))
	})
}

func figure(v *int64) string {
	if v == nil {
		return "default"
	}
	return strconv.FormatInt(*v, 10)
}

// WritePolicy is what storage checks every write of a wiki against: its
// protected paths and the quota in force, read in one snapshot. It makes
// Robot a wiki.PolicySource.
func (r *Robot) WritePolicy(ctx context.Context, slug string) (wiki.WritePolicy, error) {
	tx, err := r.DB.R.BeginTxx(ctx, nil)
	if err != nil {
		return wiki.WritePolicy{}, err
	}
	defer tx.Rollback()
	rules, err := protectRules(ctx, tx, slug)
	if err != nil {
		return wiki.WritePolicy{}, err
	}
	o, err := quotaOverride(ctx, tx, slug)
	if err != nil {
		return wiki.WritePolicy{}, err
	}
	return wiki.WritePolicy{Rules: rules, Quota: o.Apply(r.DefaultQuota)}, nil
}

var _ wiki.PolicySource = (*Robot)(nil)
