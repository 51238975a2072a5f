package robot

import (
	"context"
	"os"
	"path/filepath"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/storage/internal/durable"
	"github.com/warren-wiki/warren/wiki"
)

// ImportWiki lists a wiki brought from elsewhere (`warren import`): build
// fills a fresh directory with its repo.git and wiki.db, which is made
// durable and renamed into place in the robot.db transaction that adds
// the row, the grants and the audit line — as crash-safe as CreateWikis.
// EEXISTS if the slug is taken; on any error nothing is listed or left.
func (r *Robot) ImportWiki(ctx context.Context, actor string, w wiki.Wiki, grants []wiki.Grant, build func(dir string) error) error {
	ws, err := r.prepareBatch(ctx, []wiki.Wiki{w})
	if err != nil {
		return err
	}
	for _, g := range grants {
		if err := validGrant(g); err != nil {
			return err
		}
	}
	wikis := filepath.Join(r.dataDir, wikisDirName)
	if err := os.MkdirAll(wikis, 0o750); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(wikis, creatingPrefix+w.Slug+"-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // a no-op once renamed into place
	if err := build(tmp); err != nil {
		return err
	}
	if err := durable.SyncTrees([]string{tmp}); err != nil {
		return err
	}
	return r.commitNewWikis(ctx, actor, []string{tmp}, ws, func(tx *sqlx.Tx) error {
		for _, g := range grants {
			if err := setGrant(ctx, tx, ws[0].Slug, g.Principal, mustRole(g.Role)); err != nil {
				return err
			}
		}
		return r.audit(ctx, tx, actor, ws[0].Slug, "wiki.import", "")
	})
}

// validGrant checks one grant of an imported wiki.
func validGrant(g wiki.Grant) error {
	if err := wiki.ValidatePrincipal(g.Principal); err != nil {
		return err
	}
	_, err := wiki.ParseRole(g.Role)
	return err
}

func mustRole(s string) wiki.Role {
	role, _ := wiki.ParseRole(s)
	return role
}
