package robot

import (
	"context"
	"log/slog"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/wiki"
)

// DefaultAuditRetention is how long audit lines are kept unless the
// operator says otherwise (--audit-retention): a little over a year, so a
// yearly review still finds last year's changes.
const DefaultAuditRetention = 400 * 24 * time.Hour

// QueryAudit lists audit lines newest first, as q selects them. It is what
// the API, the admin page and `warren audit` all read.
func (r *Robot) QueryAudit(ctx context.Context, q wiki.AuditQuery) ([]wiki.AuditEntry, error) {
	if q.Limit <= 0 {
		q.Limit = 100
	}
	if q.Limit > wiki.MaxAuditLimit {
		return nil, wiki.Errorf(wiki.EINVALID, "limit must be at most %d", wiki.MaxAuditLimit)
	}
	if q.Before < 0 {
		return nil, wiki.Errorf(wiki.EINVALID, "before must be a positive audit id")
	}
	since := ""
	if !q.Since.IsZero() {
		since = robotTime(q.Since)
	}
	entries := []wiki.AuditEntry{}
	err := r.DB.R.SelectContext(ctx, &entries, `SELECT id, at, actor, wiki, action, detail, request_id FROM audit
		WHERE (? = '' OR wiki = ?) AND (? = '' OR at >= ?) AND (? = 0 OR id < ?)
		ORDER BY id DESC LIMIT ?`, q.Wiki, q.Wiki, since, since, q.Before, q.Before, q.Limit)
	return entries, err
}

// PruneAudit deletes the audit lines older than before and says how many
// went. The server calls it at start and daily (--audit-retention).
func (r *Robot) PruneAudit(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := r.writeTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM audit WHERE at < ?`, robotTime(before))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// AuditPruner deletes audit lines older than Retention once at start and
// then every Interval, until its context ends. It runs in the server, so
// the trail never grows without bound on a farm nobody tends.
type AuditPruner struct {
	Robot     *Robot
	Retention time.Duration                                   // lines older than this go; <= 0: keep for ever
	Interval  time.Duration                                   // 0: daily
	Log       func(level slog.Level, msg string, args ...any) // nil: silent
}

// Run prunes until ctx ends.
func (p *AuditPruner) Run(ctx context.Context) {
	if p.Retention <= 0 {
		return
	}
	every := p.Interval
	if every <= 0 {
		every = 24 * time.Hour
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		p.pruneOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (p *AuditPruner) pruneOnce(ctx context.Context) {
	n, err := p.Robot.PruneAudit(ctx, p.Robot.now().Add(-p.Retention))
	if p.Log == nil {
		return
	}
	if err != nil && ctx.Err() == nil {
		p.Log(slog.LevelWarn, "prune audit trail failed", "err", err)
	} else if n > 0 {
		p.Log(slog.LevelInfo, "pruned audit trail", "lines", n, "retention", p.Retention.String())
	}
}
