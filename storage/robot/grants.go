package robot

import (
	"context"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/wiki"
)

// Grants lists a wiki's grants, by principal; ENOTFOUND if the wiki does not
// exist, so a typo is not mistaken for an empty list.
func (r *Robot) Grants(ctx context.Context, slug string) ([]wiki.Grant, error) {
	tx, err := r.DB.R.BeginTxx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := findWiki(ctx, tx, slug); err != nil {
		return nil, err
	}
	grants := []wiki.Grant{}
	err = tx.SelectContext(ctx, &grants, `SELECT wiki, principal, role FROM grants WHERE wiki = ? ORDER BY principal`, slug)
	return grants, err
}

// SetGrant gives principal role on slug, replacing any earlier grant.
func (r *Robot) SetGrant(ctx context.Context, actor, slug, principal string, role wiki.Role) error {
	if err := wiki.ValidatePrincipal(principal); err != nil {
		return err
	}
	if role < wiki.RoleViewer || role > wiki.RoleAdmin {
		return wiki.Errorf(wiki.EINVALID, "invalid role %q: use viewer, editor or admin", role)
	}
	return r.writeTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := findWiki(ctx, tx, slug); err != nil {
			return err
		}
		if err := setGrant(ctx, tx, slug, principal, role); err != nil {
			return err
		}
		return r.audit(ctx, tx, actor, slug, "grant", principal+"="+role.String())
	})
}

// RevokeGrant removes principal's grant on slug; ENOTFOUND if there is none.
func (r *Robot) RevokeGrant(ctx context.Context, actor, slug, principal string) error {
	if err := wiki.ValidatePrincipal(principal); err != nil {
		return err
	}
	return r.writeTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := findWiki(ctx, tx, slug); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM grants WHERE wiki = ? AND principal = ?`, slug, principal)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return wiki.Errorf(wiki.ENOTFOUND, "%s has no grant on wiki %q", principal, slug)
		}
		return r.audit(ctx, tx, actor, slug, "revoke", principal)
	})
}

func setGrant(ctx context.Context, tx *sqlx.Tx, slug, principal string, role wiki.Role) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO grants (wiki, principal, role) VALUES (?, ?, ?)
		ON CONFLICT (wiki, principal) DO UPDATE SET role = excluded.role`, slug, principal, role.String())
	return err
}

// Audit appends one line to the audit trail.
func (r *Robot) Audit(ctx context.Context, actor, slug, action, detail string) error {
	return r.writeTx(ctx, func(tx *sqlx.Tx) error {
		return r.audit(ctx, tx, actor, slug, action, detail)
	})
}

// AuditLog lists the newest audit lines first, at most limit, optionally
// for one wiki ("" = all), so operators and tests can see who changed what.
func (r *Robot) AuditLog(ctx context.Context, slug string, limit int) ([]wiki.AuditEntry, error) {
	if limit <= 0 {
		limit = 100
	}
	entries := []wiki.AuditEntry{}
	err := r.DB.R.SelectContext(ctx, &entries, `SELECT id, at, actor, wiki, action, detail, request_id FROM audit
		WHERE ? = '' OR wiki = ? ORDER BY id DESC LIMIT ?`, slug, slug, limit)
	return entries, err
}

// audit writes the audit line inside the transaction that makes the change,
// so a change is never committed without its trail or the other way round.
func (r *Robot) audit(ctx context.Context, tx *sqlx.Tx, actor, slug, action, detail string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO audit (at, actor, wiki, action, detail, request_id) VALUES (?, ?, ?, ?, ?, ?)`,
		robotTime(r.now()), actor, slug, action, detail, wiki.RequestIDFrom(ctx))
	return err
}
