package robot

import (
	"context"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/wiki"
)

// UpdateWiki changes a wiki's title, visibility or owner (nil fields stay)
// and records it in the audit trail under actor. A new owner also becomes
// an admin of the wiki. ENOTFOUND for an unknown slug, EINVALID for a bad
// value; nothing changes on error. It returns the row as it now is.
func (r *Robot) UpdateWiki(ctx context.Context, actor, slug string, u wiki.WikiUpdate) (*wiki.Wiki, error) {
	var out *wiki.Wiki
	err := r.writeTx(ctx, func(tx *sqlx.Tx) error {
		w, err := findWiki(ctx, tx, slug)
		if err != nil {
			return err
		}
		next, detail, err := applyUpdate(*w, u)
		if err != nil {
			return err
		}
		if detail == "" {
			out = w
			return nil // nothing to change
		}
		if _, err := tx.ExecContext(ctx, `UPDATE wikis SET title = ?, owner = ?, visibility = ? WHERE slug = ?`,
			next.Title, next.Owner, string(next.Visibility), slug); err != nil {
			return err
		}
		if next.Owner != w.Owner && next.Owner != "" {
			if err := setGrant(ctx, tx, slug, next.Owner, wiki.RoleAdmin); err != nil {
				return err
			}
		}
		out = &next
		return r.audit(ctx, tx, actor, slug, "wiki.update", detail)
	})
	return out, err
}

// applyUpdate returns w with u applied and validated, and the audit detail
// naming what changed ("" if nothing did).
func applyUpdate(w wiki.Wiki, u wiki.WikiUpdate) (wiki.Wiki, string, error) {
	next := w
	if u.Title != nil {
		next.Title = *u.Title
	}
	if u.Visibility != nil {
		next.Visibility = *u.Visibility
	}
	if u.Owner != nil {
		next.Owner = strings.TrimSpace(*u.Owner)
	}
	next, err := PrepareWiki(next)
	if err != nil {
		return w, "", err
	}
	var changed []string
	if next.Title != w.Title {
		changed = append(changed, "title="+next.Title)
	}
	if next.Visibility != w.Visibility {
		changed = append(changed, "visibility="+string(next.Visibility))
	}
	if next.Owner != w.Owner {
		changed = append(changed, "owner="+next.Owner)
	}
	return next, strings.Join(changed, " "), nil
}
