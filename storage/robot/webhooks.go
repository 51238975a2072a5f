package robot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strconv"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/wiki"
)

// MaxWebhooksPerWiki bounds a wiki's webhooks: every change costs one
// delivery per hook, so a wiki admin cannot make one save cost thousands.
const MaxWebhooksPerWiki = 20

// AddWebhook registers url for slug's changes and returns it with its
// secret (generated when secret is ""), which is shown only now. The URL
// and secret are validated first; nothing is written on bad input. The
// change-log mark is set to mark (the wiki's newest change-log entry) unless
// the wiki already has one, so the first event announces only what comes
// after the hook was added.
func (r *Robot) AddWebhook(ctx context.Context, actor, slug, url, secret string, mark int64) (*wiki.Webhook, error) {
	if err := wiki.ValidateWebhookURL(url); err != nil {
		return nil, err
	}
	if secret == "" {
		secret = newWebhookSecret()
	} else if err := wiki.ValidateWebhookSecret(secret); err != nil {
		return nil, err
	}
	h := &wiki.Webhook{Wiki: slug, URL: url, Secret: secret, CreatedBy: actor, CreatedAt: r.now()}
	err := r.writeTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := findWiki(ctx, tx, slug); err != nil {
			return err
		}
		var n int
		if err := tx.GetContext(ctx, &n, `SELECT count(*) FROM webhooks WHERE wiki = ?`, slug); err != nil {
			return err
		} else if n >= MaxWebhooksPerWiki {
			return wiki.Errorf(wiki.EINVALID, "wiki %q already has %d webhooks, the most it may have", slug, n)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO webhooks (wiki, url, secret, created_by, created_at) VALUES (?, ?, ?, ?, ?)`,
			slug, url, secret, actor, robotTime(h.CreatedAt))
		if err != nil {
			return err
		}
		if h.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_marks (wiki, seq) VALUES (?, ?) ON CONFLICT (wiki) DO NOTHING`, slug, mark); err != nil {
			return err
		}
		return r.audit(ctx, tx, actor, slug, "webhook.add", strconv.FormatInt(h.ID, 10)+" "+url)
	})
	if err != nil {
		return nil, err
	}
	return h, nil
}

// newWebhookSecret is 32 random bytes in hex.
func newWebhookSecret() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// webhookRow reads the webhooks table.
type webhookRow struct {
	ID        int64  `db:"id"`
	Wiki      string `db:"wiki"`
	URL       string `db:"url"`
	Secret    string `db:"secret"`
	CreatedBy string `db:"created_by"`
	CreatedAt string `db:"created_at"`
}

func (row webhookRow) webhook() wiki.Webhook {
	at, _ := parseRobotTime(row.CreatedAt)
	return wiki.Webhook{ID: row.ID, Wiki: row.Wiki, URL: row.URL, Secret: row.Secret, CreatedBy: row.CreatedBy, CreatedAt: at}
}

// Webhooks lists slug's webhooks, oldest first; ENOTFOUND for an unknown wiki.
func (r *Robot) Webhooks(ctx context.Context, slug string) ([]wiki.Webhook, error) {
	tx, err := r.DB.R.BeginTxx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := findWiki(ctx, tx, slug); err != nil {
		return nil, err
	}
	var rows []webhookRow
	if err := tx.SelectContext(ctx, &rows, `SELECT id, wiki, url, secret, created_by, created_at FROM webhooks WHERE wiki = ? ORDER BY id`, slug); err != nil {
		return nil, err
	}
	out := make([]wiki.Webhook, 0, len(rows))
	for _, row := range rows {
		out = append(out, row.webhook())
	}
	return out, nil
}

// HasWebhooks reports whether slug has any webhook: the one question asked
// for every change, answered by an index.
func (r *Robot) HasWebhooks(ctx context.Context, slug string) (bool, error) {
	var one int
	err := r.DB.R.GetContext(ctx, &one, `SELECT 1 FROM webhooks WHERE wiki = ? LIMIT 1`, slug)
	if robotNoRows(err) {
		return false, nil
	}
	return err == nil, err
}

// WikisWithWebhooks lists the slugs that have webhooks, for the catch-up
// after a restart.
func (r *Robot) WikisWithWebhooks(ctx context.Context) ([]string, error) {
	slugs := []string{}
	err := r.DB.R.SelectContext(ctx, &slugs, `SELECT DISTINCT wiki FROM webhooks ORDER BY wiki`)
	return slugs, err
}

// RemoveWebhook deletes webhook id of slug with its pending deliveries;
// ENOTFOUND if slug has no such webhook (another wiki's id included).
func (r *Robot) RemoveWebhook(ctx context.Context, actor, slug string, id int64) error {
	return r.writeTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM webhooks WHERE id = ? AND wiki = ?`, id, slug)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return wiki.Errorf(wiki.ENOTFOUND, "wiki %q has no webhook %d", slug, id)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM webhook_marks WHERE wiki = ? AND NOT EXISTS (SELECT 1 FROM webhooks WHERE wiki = ?)`, slug, slug); err != nil {
			return err
		}
		return r.audit(ctx, tx, actor, slug, "webhook.remove", strconv.FormatInt(id, 10))
	})
}

// WebhookMark is the newest change-log entry of slug already announced;
// ok is false when slug has no mark (no webhooks).
func (r *Robot) WebhookMark(ctx context.Context, slug string) (seq int64, ok bool, err error) {
	err = r.DB.R.GetContext(ctx, &seq, `SELECT seq FROM webhook_marks WHERE wiki = ?`, slug)
	if robotNoRows(err) {
		return 0, false, nil
	}
	return seq, err == nil, err
}

// SetWebhookMark moves slug's mark without announcing anything (a wiki.db
// rebuilt from git starts its change log anew).
func (r *Robot) SetWebhookMark(ctx context.Context, slug string, seq int64) error {
	return r.writeTx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE webhook_marks SET seq = ? WHERE wiki = ?`, seq, slug)
		return err
	})
}
