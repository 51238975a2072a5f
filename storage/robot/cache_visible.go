package robot

import (
	"context"

	"github.com/warren-wiki/warren/wiki"
)

// WikiAndRole is FindWiki and Role together, as every wiki request asks
// them first: the wiki's row and the caller's role on it, with one
// freshness check of the cache (one PRAGMA data_version) instead of two.
// The answers are as exact as the two calls': both come from robot.db as
// it was at that check or later.
func (r *Robot) WikiAndRole(ctx context.Context, slug string, c *wiki.Caller) (*wiki.Wiki, wiki.Role, error) {
	gen, err := r.fresh(ctx)
	if err != nil {
		return nil, wiki.RoleNone, err
	}
	w, err := r.wikiAt(ctx, gen, slug)
	if err != nil {
		return nil, wiki.RoleNone, err
	}
	role, err := r.roleWith(ctx, w, c, func(ctx context.Context, slug string, principals []string) (wiki.Role, error) {
		return r.roleAt(ctx, gen, slug, principals)
	})
	return w, role, err
}
