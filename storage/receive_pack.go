package storage

import (
	"context"
	"io"
	"sync"
)

// ReceiveOptions say what one push may do and what follows it.
type ReceiveOptions struct {
	Limits    GitLimits
	CanForce  bool                            // may force-push and delete main (wiki admins)
	OnUpdated func(ctx context.Context) error // runs after refs moved, e.g. index catch-up
}

// ReceivePack serves one stateless-rpc git-receive-pack request
// (placeholder: the owner replaces the body).
func ReceivePack(ctx context.Context, repo *Repo, lock sync.Locker, req io.Reader, w io.Writer, opt ReceiveOptions) error {
	return errTODO
}
