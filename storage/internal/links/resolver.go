package links

import (
	"context"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/wiki"
)

// Resolver resolves references and runs the link pass for one wiki. It
// holds no state of its own, so a wiki may build one per request.
type Resolver struct {
	// DB reads the indexes of wiki.db (pages, aliases, files).
	DB sqlx.QueryerContext
	// Base is the URL path of the wiki root, e.g. "/acme/"; links point
	// under it.
	Base string
	// PageHTML is the rendered HTML of an indexed page (from the render
	// cache, rendered on a miss), for transclusions.
	PageHTML func(ctx context.Context, page string) (string, error)
}

// ResolveURL finds what a page URL names: a page (spaces ≡ hyphens, any
// case, an alias, a name ending in .md without it, a base name anywhere)
// or a file of the wiki; neither when nothing matches.
func (r *Resolver) ResolveURL(ctx context.Context, name string) (wiki.Resolution, error) {
	ref := linkRef{kind: refURL, target: name}
	found, err := r.resolveRefs(ctx, "", []linkRef{ref})
	if err != nil {
		return wiki.Resolution{}, err
	}
	t := found[ref]
	return wiki.Resolution{Page: t.page, File: t.file}, nil
}
