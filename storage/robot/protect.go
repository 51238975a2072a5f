package robot

import (
	"context"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/wiki"
)

// ProtectRules lists a wiki's protected-path rules in order (the last
// match decides); ENOTFOUND if the wiki does not exist.
func (r *Robot) ProtectRules(ctx context.Context, slug string) ([]wiki.ProtectRule, error) {
	tx, err := r.DB.R.BeginTxx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := findWiki(ctx, tx, slug); err != nil {
		return nil, err
	}
	return protectRules(ctx, tx, slug)
}

func protectRules(ctx context.Context, q sqlx.QueryerContext, slug string) ([]wiki.ProtectRule, error) {
	var rows []struct {
		Glob string `db:"glob"`
		Role string `db:"role"`
	}
	if err := sqlx.SelectContext(ctx, q, &rows, `SELECT glob, role FROM protected_paths WHERE wiki = ? ORDER BY position`, slug); err != nil {
		return nil, err
	}
	rules := make([]wiki.ProtectRule, 0, len(rows))
	for _, row := range rows {
		role, err := wiki.ParseRole(row.Role)
		if err != nil {
			return nil, err
		}
		rules = append(rules, wiki.ProtectRule{Glob: row.Glob, Role: role})
	}
	return rules, nil
}

// SetProtectRules replaces a wiki's rules with rules, in that order, and
// records the new list in the audit trail. Every rule is validated first;
// EINVALID changes nothing.
func (r *Robot) SetProtectRules(ctx context.Context, actor, slug string, rules []wiki.ProtectRule) error {
	rules = append([]wiki.ProtectRule(nil), rules...)
	if err := wiki.ValidateProtectRules(rules); err != nil {
		return err
	}
	return r.writeTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := findWiki(ctx, tx, slug); err != nil {
			return err
		}
		return r.replaceRules(ctx, tx, actor, slug, rules)
	})
}

// Protect adds one rule at the end of a wiki's list, or, if its glob is
// already listed, moves it there with the new role; the CLI's `warren
// protect` and the settings form use it.
func (r *Robot) Protect(ctx context.Context, actor, slug, glob string, role wiki.Role) error {
	rule, err := wiki.ParseProtectRule(glob, role.String())
	if err != nil {
		return err
	}
	return r.editRules(ctx, actor, slug, func(rules []wiki.ProtectRule) ([]wiki.ProtectRule, error) {
		return append(withoutGlob(rules, rule.Glob), rule), nil
	})
}

// Unprotect removes the rule with this glob; ENOTFOUND if there is none.
func (r *Robot) Unprotect(ctx context.Context, actor, slug, glob string) error {
	g, err := wiki.CleanGlob(glob)
	if err != nil {
		return err
	}
	return r.editRules(ctx, actor, slug, func(rules []wiki.ProtectRule) ([]wiki.ProtectRule, error) {
		out := withoutGlob(rules, g)
		if len(out) == len(rules) {
			return nil, wiki.Errorf(wiki.ENOTFOUND, "wiki %q has no rule for %q", slug, g)
		}
		return out, nil
	})
}

// editRules reads, changes and writes a wiki's rules in one transaction.
func (r *Robot) editRules(ctx context.Context, actor, slug string, edit func([]wiki.ProtectRule) ([]wiki.ProtectRule, error)) error {
	return r.writeTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := findWiki(ctx, tx, slug); err != nil {
			return err
		}
		rules, err := protectRules(ctx, tx, slug)
		if err != nil {
			return err
		}
		if rules, err = edit(rules); err != nil {
			return err
		}
		if err := wiki.ValidateProtectRules(rules); err != nil {
			return err
		}
		return r.replaceRules(ctx, tx, actor, slug, rules)
	})
}

// replaceRules writes the list and its audit line inside tx.
func (r *Robot) replaceRules(ctx context.Context, tx *sqlx.Tx, actor, slug string, rules []wiki.ProtectRule) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM protected_paths WHERE wiki = ?`, slug); err != nil {
		return err
	}
	for i, rule := range rules {
		if _, err := tx.ExecContext(ctx, `INSERT INTO protected_paths (wiki, glob, role, position) VALUES (?, ?, ?, ?)`,
			slug, rule.Glob, rule.Role.String(), i); err != nil {
			return err
		}
	}
	return r.audit(ctx, tx, actor, slug, wiki.AuditProtect, describeRules(rules))
}

// withoutGlob is rules without the one for glob (compared as stored).
func withoutGlob(rules []wiki.ProtectRule, glob string) []wiki.ProtectRule {
	out := make([]wiki.ProtectRule, 0, len(rules))
	for _, r := range rules {
		if r.Glob != glob {
			out = append(out, r)
		}
	}
	return out
}

// describeRules is the audit detail: the whole list, so the trail shows
// what was in force after each change.
func describeRules(rules []wiki.ProtectRule) string {
	if len(rules) == 0 {
		return "none"
	}
	parts := make([]string, len(rules))
	for i, r := range rules {
		parts[i] = r.Glob + "=" + r.Role.String()
	}
	return strings.Join(parts, " ")
}
