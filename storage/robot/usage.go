package robot

import (
	"context"
	"database/sql"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/wiki"
)

// Usage is counted in memory by the server and added here in batches (one
// transaction a minute for every wiki that was used), never written per
// request. Counts are kept per hour for 31 days.

// UsageCount is what one wiki did since the last flush.
type UsageCount struct {
	Requests int64
	Saves    int64
}

// usageHour is the bucket an instant falls in.
func usageHour(t time.Time) string { return t.UTC().Format("2006-01-02T15") }

// UsageRetention is how long hourly counts are kept.
const UsageRetention = 31 * 24 * time.Hour

// AddUsage adds counts to the hour at, in one transaction. Wikis deleted
// meanwhile are skipped.
func (r *Robot) AddUsage(ctx context.Context, at time.Time, counts map[string]UsageCount) error {
	if len(counts) == 0 {
		return nil
	}
	hour := usageHour(at)
	return r.writeTx(ctx, func(tx *sqlx.Tx) error {
		for slug, c := range counts {
			_, err := tx.ExecContext(ctx, `INSERT INTO usage_hourly (wiki, hour, requests, saves)
				SELECT slug, ?, ?, ? FROM wikis WHERE slug = ?
				ON CONFLICT (wiki, hour) DO UPDATE SET requests = requests + excluded.requests, saves = saves + excluded.saves`,
				hour, c.Requests, c.Saves, slug)
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// SetUsageSize records a wiki's measured size; a deleted wiki is skipped.
func (r *Robot) SetUsageSize(ctx context.Context, slug string, s wiki.UsageSize) error {
	var last sql.NullString
	if s.LastChange != nil {
		last = sql.NullString{String: robotTime(*s.LastChange), Valid: true}
	}
	return r.writeTx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO usage_size (wiki, pages, repo_bytes, attachment_bytes, last_change, measured_at)
			SELECT slug, ?, ?, ?, ?, ? FROM wikis WHERE slug = ?
			ON CONFLICT (wiki) DO UPDATE SET pages = excluded.pages, repo_bytes = excluded.repo_bytes,
				attachment_bytes = excluded.attachment_bytes, last_change = excluded.last_change, measured_at = excluded.measured_at`,
			s.Pages, s.RepoBytes, s.AttachmentBytes, last, robotTime(r.now()), slug)
		return err
	})
}

// PruneUsage drops hourly counts older than UsageRetention.
func (r *Robot) PruneUsage(ctx context.Context) error {
	return r.writeTx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM usage_hourly WHERE hour < ?`, usageHour(r.now().Add(-UsageRetention)))
		return err
	})
}

// usageRow is one wiki's usage as the query below reads it.
type usageRow struct {
	Wiki            string         `db:"wiki"`
	Pages           int64          `db:"pages"`
	RepoBytes       int64          `db:"repo_bytes"`
	AttachmentBytes int64          `db:"attachment_bytes"`
	LastChange      sql.NullString `db:"last_change"`
	MeasuredAt      sql.NullString `db:"measured_at"`
	Requests1d      int64          `db:"requests_1d"`
	Requests30d     int64          `db:"requests_30d"`
	Saves1d         int64          `db:"saves_1d"`
	Saves30d        int64          `db:"saves_30d"`
}

func (row usageRow) usage() wiki.Usage {
	last, _ := parseRobotTimePtr(row.LastChange)
	measured, _ := parseRobotTimePtr(row.MeasuredAt)
	return wiki.Usage{Wiki: row.Wiki, Pages: row.Pages, RepoBytes: row.RepoBytes, AttachmentBytes: row.AttachmentBytes,
		Requests1d: row.Requests1d, Requests30d: row.Requests30d, Saves1d: row.Saves1d, Saves30d: row.Saves30d,
		LastChange: last, MeasuredAt: measured}
}

// usageSQL reads every listed wiki's usage (or one, when the slug parameter
// is not ""): the last day is the current hour and the 23 before it.
const usageSQL = `SELECT w.slug AS wiki,
	coalesce(s.pages, 0) AS pages, coalesce(s.repo_bytes, 0) AS repo_bytes,
	coalesce(s.attachment_bytes, 0) AS attachment_bytes, s.last_change, s.measured_at,
	coalesce(u.requests_1d, 0) AS requests_1d, coalesce(u.requests_30d, 0) AS requests_30d,
	coalesce(u.saves_1d, 0) AS saves_1d, coalesce(u.saves_30d, 0) AS saves_30d
	FROM wikis w
	LEFT JOIN usage_size s ON s.wiki = w.slug
	LEFT JOIN (SELECT wiki,
		sum(CASE WHEN hour >= :day THEN requests ELSE 0 END) AS requests_1d, sum(requests) AS requests_30d,
		sum(CASE WHEN hour >= :day THEN saves ELSE 0 END) AS saves_1d, sum(saves) AS saves_30d
		FROM usage_hourly WHERE hour >= :month AND (:slug = '' OR wiki = :slug) GROUP BY wiki) u ON u.wiki = w.slug
	WHERE :slug = '' OR w.slug = :slug ORDER BY w.slug`

// Usage returns one wiki's usage; ENOTFOUND if robot.db does not list it.
func (r *Robot) Usage(ctx context.Context, slug string) (*wiki.Usage, error) {
	all, err := r.usage(ctx, slug)
	if err != nil {
		return nil, err
	}
	u, ok := all[slug]
	if !ok || slug == "" {
		return nil, wiki.Errorf(wiki.ENOTFOUND, "wiki %q does not exist", slug)
	}
	return &u, nil
}

// AllUsage returns every wiki's usage by slug, in one query, for the wiki
// list and `warren wiki list`.
func (r *Robot) AllUsage(ctx context.Context) (map[string]wiki.Usage, error) {
	return r.usage(ctx, "")
}

func (r *Robot) usage(ctx context.Context, slug string) (map[string]wiki.Usage, error) {
	now := r.now()
	q, args, err := sqlx.Named(usageSQL, map[string]any{
		"day": usageHour(now.Add(-23 * time.Hour)), "month": usageHour(now.Add(-30 * 24 * time.Hour)), "slug": slug,
	})
	if err != nil {
		return nil, err
	}
	var rows []usageRow
	if err := sqlx.SelectContext(ctx, r.DB.R, &rows, r.DB.R.Rebind(q), args...); err != nil {
		return nil, err
	}
	out := make(map[string]wiki.Usage, len(rows))
	for _, row := range rows {
		out[row.Wiki] = row.usage()
	}
	return out, nil
}
