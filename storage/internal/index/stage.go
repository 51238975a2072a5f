package index

import "context"

// Stage brings the indexes up to head, a commit the main branch does not
// name yet because its objects are still being flushed: the whole update
// is written in a transaction left open, and finish commits it once the
// branch names head (made) or rolls it back (not made). A save so renders
// and writes its index update while its commit is flushed, and its answer
// still finds the new revision indexed.
//
// Catch-ups wait from Stage to finish, which must be called. A crash
// between the branch's move and the commit of the update only leaves the
// watermark behind, and the next catch-up replays it; an update committed
// for a move a crash then undid leaves the watermark ahead of the branch,
// which the next catch-up finds is no ancestor and rebuilds from. finish
// returns the error that kept the indexes from head (then they are behind,
// as after a failed catch-up: the caller catches up again).
func (ix *Indexer) Stage(ctx context.Context, head string) (finish func(made bool) error) {
	ix.mu.Lock()
	w, err := ix.stage(ctx, head)
	return func(made bool) error {
		defer ix.mu.Unlock()
		if err != nil {
			return err
		}
		if err := w.end(made); err != nil || !made {
			return err
		}
		ix.behind.Store(false)
		return nil
	}
}

// stage writes the update from the watermark to head, uncommitted.
func (ix *Indexer) stage(ctx context.Context, head string) (*written, error) {
	mark, err := ix.Mark(ctx)
	if err != nil {
		return nil, err
	}
	plan, err := ix.plan(ctx, mark, head)
	if err != nil {
		return nil, err
	}
	defer plan.close()
	return ix.write(ctx, plan)
}
