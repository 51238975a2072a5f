package tenant

import (
	"context"
	"log/slog"
	"time"

	"github.com/warren-wiki/warren/storage"
	"github.com/warren-wiki/warren/wiki"
)

// Pool keeps open wikis (placeholder: the owner replaces the body).
type Pool struct {
	Max     int
	IdleTTL time.Duration
	Open    func(ctx context.Context, slug string) (*storage.Wiki, error)
	Logger  *slog.Logger
}

// Acquire returns the open wiki for slug and a release func to call when
// the request ends.
func (p *Pool) Acquire(ctx context.Context, slug string) (*storage.Wiki, func(), error) {
	return nil, nil, wiki.Errorf(wiki.EINTERNAL, "not implemented")
}
