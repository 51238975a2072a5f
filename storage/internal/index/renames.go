package index

import (
	"context"
	"path"
	"strings"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/textdiff"
	"github.com/warren-wiki/warren/wiki"
)

// A renamed page's old URL redirects to its new name. Which pages were
// renamed is read from git's history, not from warren's own rename
// operation, so a `git mv` pushed from a clone redirects too: as git does,
// a commit that deletes one page file and adds another renamed it when
// both hold the same blob, or failing that when at least half of their
// lines are the same. The redirects table is derived like every index and
// rebuilt from history with it.

// maxRenamePairs bounds the similarity comparisons one commit may cost.
const maxRenamePairs = 400

// rename is one page that a commit moved.
type rename struct{ from, to string }

// commitRenames pairs the page files a commit deleted with those it added.
func commitRenames(ctx context.Context, blobs blobReader, c *gitrepo.CommitInfo) ([]rename, error) {
	var gone, added []gitrepo.TreeChange
	for _, ch := range c.Changes {
		if _, ok := PageName(ch.Path); !ok {
			continue
		}
		switch ch.Action {
		case "deleted":
			gone = append(gone, ch)
		case "added":
			added = append(added, ch)
		}
	}
	if len(gone) == 0 || len(added) == 0 {
		return nil, nil
	}
	out, gone, added := exactRenames(gone, added)
	if len(gone) == 0 || len(added) == 0 || len(gone)*len(added) > maxRenamePairs {
		return out, nil
	}
	similar, err := similarRenames(ctx, blobs, gone, added)
	return append(out, similar...), err
}

// exactRenames pairs deleted and added files with the same blob, a file of
// the same base name first; it returns the files left unpaired.
func exactRenames(gone, added []gitrepo.TreeChange) ([]rename, []gitrepo.TreeChange, []gitrepo.TreeChange) {
	var out []rename
	used := make([]bool, len(added))
	var restGone []gitrepo.TreeChange
	for _, g := range gone {
		best := -1
		for j, a := range added {
			if used[j] || a.Blob != g.OldBlob {
				continue
			}
			if best < 0 || strings.EqualFold(path.Base(a.Path), path.Base(g.Path)) {
				best = j
			}
		}
		if best < 0 {
			restGone = append(restGone, g)
			continue
		}
		used[best] = true
		out = append(out, renameOf(g.Path, added[best].Path))
	}
	var restAdded []gitrepo.TreeChange
	for j, a := range added {
		if !used[j] {
			restAdded = append(restAdded, a)
		}
	}
	return out, restGone, restAdded
}

// similarRenames pairs each deleted file with the most similar added one,
// if at least half their lines agree.
func similarRenames(ctx context.Context, blobs blobReader, gone, added []gitrepo.TreeChange) ([]rename, error) {
	texts := make([][]byte, len(added))
	for j, a := range added {
		b, err := blobs.ReadBlob(ctx, a.Blob)
		if err != nil {
			return nil, err
		}
		texts[j] = b
	}
	var out []rename
	used := make([]bool, len(added))
	for _, g := range gone {
		old, err := blobs.ReadBlob(ctx, g.OldBlob)
		if err != nil {
			return nil, err
		}
		best, bestScore := -1, 0.5
		for j := range added {
			if s := similarity(old, texts[j]); !used[j] && s >= bestScore {
				best, bestScore = j, s
			}
		}
		if best >= 0 {
			used[best] = true
			out = append(out, renameOf(g.Path, added[best].Path))
		}
	}
	return out, nil
}

// similarity is the share of lines two texts have in common (0..1).
func similarity(a, b []byte) float64 {
	same, total := 0, 0
	for _, l := range textdiff.DiffLines(a, b) {
		total++
		if l.Op == ' ' {
			same++
		}
	}
	if total == 0 {
		return 1
	}
	return float64(same) / float64(total)
}

func renameOf(from, to string) rename {
	f, _ := wiki.PageNameOf(from)
	t, _ := wiki.PageNameOf(to)
	return rename{from: f, to: t}
}

// addRedirect records that from moved to to: from's old URL and every
// older name that led to from now lead to to, and a name that leads to
// itself (renamed back) is dropped.
func (wr *indexWriter) addRedirect(r rename, revision string) error {
	if strings.EqualFold(r.from, r.to) {
		return nil // a case-only rename: lookups ignore case anyway
	}
	if err := wr.exec("redirect", strings.ToLower(r.from), r.to, revision); err != nil {
		return err
	}
	if err := wr.exec("redirectChain", r.to, revision, r.from); err != nil {
		return err
	}
	return wr.exec("redirectSelf", strings.ToLower(r.to), r.to)
}
