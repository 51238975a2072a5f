package quota

import (
	"context"
	"strings"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/wiki"
)

// AttachmentBytes sums the plain files at HEAD that are not pages (what a
// wiki holds besides its text); an empty repository has none.
func AttachmentBytes(ctx context.Context, repo *gitrepo.Repo) (int64, error) {
	head, err := repo.Head(ctx)
	if err != nil || head == "" {
		return 0, err
	}
	files, err := repo.ListFiles(ctx, head)
	if err != nil {
		return 0, err
	}
	var n int64
	for _, f := range files {
		if gitrepo.IsPlainFile(f.Mode) && !strings.HasSuffix(strings.ToLower(f.Path), strings.ToLower(wiki.PageExt)) {
			n += f.Size
		}
	}
	return n, nil
}
