package tenant

import (
	"context"

	"github.com/warren-wiki/warren/storage"
	"github.com/warren-wiki/warren/wiki"
)

// Handle is what a request for one wiki gets: the wiki's robot.db row (read
// for this request, so visibility changes apply at once) and its open
// storage. A handler sees only its own wiki's Handle.
type Handle struct {
	Info  *wiki.Wiki
	Store *storage.Wiki
	Root  string // URL path of the wiki root, "/acme/" or "/"
}

type ctxKey struct{}

// NewContext attaches the request's wiki handle.
func NewContext(ctx context.Context, h *Handle) context.Context {
	return context.WithValue(ctx, ctxKey{}, h)
}

// From returns the request's wiki handle, or nil outside a wiki.
func From(ctx context.Context) *Handle {
	h, _ := ctx.Value(ctxKey{}).(*Handle)
	return h
}
