package robot

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/wiki"
)

// The delivery queue lives in robot.db so that it survives restarts: an
// event is enqueued in the same transaction that moves the wiki's change-log
// mark, and a delivery is claimed by pushing its next_at past the attempt's
// timeout, so a crash in the middle of an attempt retries it instead of
// losing it. next_at is unix milliseconds (backoffs shorter than a second
// must order correctly).

// exactNow is the clock without robot.db's truncation to seconds.
func (r *Robot) exactNow() time.Time {
	if r.Now != nil {
		return r.Now().UTC()
	}
	return time.Now().UTC()
}

// EnqueueEvent queues payload for every webhook of slug and moves the
// wiki's mark from fromSeq to toSeq, atomically. If the mark is no longer at
// fromSeq (the same changes were announced meanwhile) it returns ECONFLICT
// and queues nothing. It returns how many deliveries it queued.
func (r *Robot) EnqueueEvent(ctx context.Context, slug, event string, payload []byte, fromSeq, toSeq int64) (int, error) {
	now := r.exactNow()
	var n int64
	err := r.writeTx(ctx, func(tx *sqlx.Tx) error {
		var mark int64
		if err := tx.GetContext(ctx, &mark, `SELECT seq FROM webhook_marks WHERE wiki = ?`, slug); robotNoRows(err) {
			return nil // no webhooks (any more): nothing to announce
		} else if err != nil {
			return err
		} else if mark != fromSeq {
			return wiki.Errorf(wiki.ECONFLICT, "changes of %q up to %d were already announced", slug, mark)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO webhook_deliveries (hook, wiki, event, payload, state, created_at, next_at)
			SELECT id, wiki, ?, ?, 'pending', ?, ? FROM webhooks WHERE wiki = ?`,
			event, string(payload), robotTime(now), now.UnixMilli(), slug)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE webhook_marks SET seq = ? WHERE wiki = ?`, toSeq, slug)
		return err
	})
	return int(n), err
}

// deliveryRow reads webhook_deliveries, joined with the hook's URL and
// secret when claiming.
type deliveryRow struct {
	ID         int64          `db:"id"`
	Hook       int64          `db:"hook"`
	Wiki       string         `db:"wiki"`
	Event      string         `db:"event"`
	Payload    string         `db:"payload"`
	State      string         `db:"state"`
	Attempts   int            `db:"attempts"`
	CreatedAt  string         `db:"created_at"`
	NextAt     int64          `db:"next_at"`
	LastAt     sql.NullString `db:"last_at"`
	LastStatus int            `db:"last_status"`
	LastError  string         `db:"last_error"`
	LastBody   string         `db:"last_body"`
	URL        string         `db:"url"`
	Secret     string         `db:"secret"`
}

func (row deliveryRow) delivery() wiki.WebhookDelivery {
	created, _ := parseRobotTime(row.CreatedAt)
	last, _ := parseRobotTimePtr(row.LastAt)
	return wiki.WebhookDelivery{ID: row.ID, Hook: row.Hook, Wiki: row.Wiki, Event: row.Event, State: row.State,
		Attempts: row.Attempts, CreatedAt: created, NextAt: time.UnixMilli(row.NextAt).UTC(), LastAt: last,
		LastStatus: row.LastStatus, LastError: row.LastError, LastBody: row.LastBody,
		Payload: []byte(row.Payload), URL: row.URL, Secret: row.Secret}
}

const deliveryColumns = `d.id, d.hook, d.wiki, d.event, d.payload, d.state, d.attempts, d.created_at, d.next_at,
	d.last_at, d.last_status, d.last_error, d.last_body, h.url, h.secret`

// ClaimDueDeliveries takes up to limit pending deliveries that are due,
// at most one per hook and none of the hooks in busy (those with an attempt
// in flight), oldest due first. It counts the attempt and leases each
// delivery for lease: until then no other claim returns it, and if the
// process dies meanwhile it is due again afterwards. One delivery per hook
// at a time means a slow receiver holds one worker, never all of them.
func (r *Robot) ClaimDueDeliveries(ctx context.Context, limit int, lease time.Duration, busy []int64) ([]wiki.WebhookDelivery, error) {
	now := r.exactNow()
	skip, err := json.Marshal(append([]int64{}, busy...))
	if err != nil {
		return nil, err
	}
	var rows []deliveryRow
	err = r.writeTx(ctx, func(tx *sqlx.Tx) error {
		err := tx.SelectContext(ctx, &rows, `SELECT `+deliveryColumns+` FROM (
				SELECT *, row_number() OVER (PARTITION BY hook ORDER BY next_at, id) AS n FROM webhook_deliveries
				WHERE state = 'pending' AND next_at <= ? AND hook NOT IN (SELECT value FROM json_each(?))
			) d JOIN webhooks h ON h.id = d.hook WHERE d.n = 1 ORDER BY d.next_at, d.id LIMIT ?`, now.UnixMilli(), string(skip), limit)
		if err != nil {
			return err
		}
		for i := range rows {
			rows[i].Attempts++
			if _, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET attempts = ?, next_at = ? WHERE id = ?`,
				rows[i].Attempts, now.Add(lease).UnixMilli(), rows[i].ID); err != nil {
				return err
			}
		}
		return nil
	})
	out := make([]wiki.WebhookDelivery, 0, len(rows))
	for _, row := range rows {
		out = append(out, row.delivery())
	}
	return out, err
}

// DeliveryResult is the outcome of one attempt. Next is when to try again;
// zero means the delivery is over (State says how).
type DeliveryResult struct {
	State  string // wiki.DeliveryDelivered, wiki.DeliveryFailed or wiki.DeliveryPending
	Status int    // the receiver's HTTP status, 0 if none came
	Error  string // why the attempt failed, "" if it did not
	Body   string // the start of the receiver's answer
	Next   time.Time
}

// FinishAttempt records the outcome of an attempt on delivery id.
func (r *Robot) FinishAttempt(ctx context.Context, id int64, res DeliveryResult) error {
	now := r.exactNow()
	next := now.UnixMilli()
	if !res.Next.IsZero() {
		next = res.Next.UnixMilli()
	}
	return r.writeTx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET state = ?, last_at = ?, last_status = ?, last_error = ?,
			last_body = ?, next_at = ? WHERE id = ?`, res.State, robotTime(now), res.Status, res.Error, res.Body, next, id)
		return err
	})
}

// Deliveries lists slug's newest deliveries first, at most limit, for one
// hook (hook > 0) or all of them.
func (r *Robot) Deliveries(ctx context.Context, slug string, hook int64, limit int) ([]wiki.WebhookDelivery, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	var rows []deliveryRow
	err := r.DB.R.SelectContext(ctx, &rows, `SELECT `+deliveryColumns+` FROM webhook_deliveries d JOIN webhooks h ON h.id = d.hook
		WHERE d.wiki = ? AND (? = 0 OR d.hook = ?) ORDER BY d.id DESC LIMIT ?`, slug, hook, hook, limit)
	out := make([]wiki.WebhookDelivery, 0, len(rows))
	for _, row := range rows {
		out = append(out, row.delivery())
	}
	return out, err
}

// NextDue is when the earliest pending delivery is due; ok is false when
// the queue is empty.
func (r *Robot) NextDue(ctx context.Context) (at time.Time, ok bool, err error) {
	var ms sql.NullInt64
	err = r.DB.R.GetContext(ctx, &ms, `SELECT min(next_at) FROM webhook_deliveries WHERE state = 'pending'`)
	if err != nil || !ms.Valid {
		return time.Time{}, false, err
	}
	return time.UnixMilli(ms.Int64).UTC(), true, nil
}

// PendingDeliveries counts the queue, for the metrics.
func (r *Robot) PendingDeliveries(ctx context.Context) (int, error) {
	var n int
	err := r.DB.R.GetContext(ctx, &n, `SELECT count(*) FROM webhook_deliveries WHERE state = 'pending'`)
	return n, err
}

// PruneDeliveries forgets finished deliveries beyond the newest keep of
// each hook, so the history stays readable and robot.db small.
func (r *Robot) PruneDeliveries(ctx context.Context, keep int) error {
	return r.writeTx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM webhook_deliveries WHERE state != 'pending' AND id IN (
			SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY hook ORDER BY id DESC) AS n
				FROM webhook_deliveries WHERE state != 'pending') WHERE n > ?)`, keep)
		return err
	})
}
