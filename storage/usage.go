package storage

import (
	"context"

	"github.com/warren-wiki/warren/storage/internal/quota"
	"github.com/warren-wiki/warren/wiki"
)

// Usage measures the wiki: pages in the index, bytes of its repository on
// disk (every object, pack and ref), bytes of the attachments at HEAD
// (every plain file that is not a page) and the time of its newest change.
// It reads the whole HEAD tree, so the server calls it after changes, not
// per request.
func (w *Wiki) Usage(ctx context.Context) (wiki.UsageSize, error) {
	var u wiki.UsageSize
	if err := w.DB.R.GetContext(ctx, &u.Pages, `SELECT count(*) FROM pages`); err != nil {
		return u, err
	}
	last, err := w.Changes(ctx, "", 1, 0)
	if err != nil {
		return u, err
	}
	if len(last) > 0 && !last[0].Time.IsZero() {
		t := last[0].Time
		u.LastChange = &t
	}
	if u.RepoBytes, err = quota.DirBytes(w.Repo.Dir()); err != nil {
		return u, err
	}
	u.AttachmentBytes, err = quota.AttachmentBytes(ctx, w.Repo)
	return u, err
}
