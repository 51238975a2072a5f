package storage

import (
	"context"
	"errors"
	"syscall"

	"github.com/warren-wiki/warren/storage/sqlitedb"
	"github.com/warren-wiki/warren/wiki"
)

// Once a commit's ref has moved, the change is made: it is durable in git,
// and git is the source of truth. Bringing wiki.db's indexes up to it can
// still fail (a full disk, most of all), but that must not turn a made
// change into an error the user would retry. The indexes heal from their
// watermark: the next write catches them up before it starts, and so does
// the next read, which checks a flag first (one atomic load when nothing
// is behind).

// afterCommit catches the indexes up after a commit moved the ref; a
// failure only marks them as behind.
func (w *Wiki) afterCommit(ctx context.Context) error {
	if err := w.sync(ctx); err != nil {
		w.behind.Store(true)
	}
	return nil
}

// heal retries a catch-up that failed after a commit, before a read that
// would otherwise not show it. A failure leaves the read to serve what the
// indexes describe.
func (w *Wiki) heal(ctx context.Context) {
	if w.behind.Load() && w.sync(ctx) == nil {
		w.behind.Store(false)
	}
}

// noSpace turns a full disk or quota, as the OS or SQLite reports it, into
// ENOSPACE with a message that says what happened; other errors pass.
func noSpace(err error) error {
	if err == nil || wiki.ErrorCode(err) != wiki.EINTERNAL {
		return err
	}
	if sqlitedb.IsDiskFull(err) || errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return wiki.Errorf(wiki.ENOSPACE, "%s", wiki.NoSpaceMessage)
	}
	return err
}
