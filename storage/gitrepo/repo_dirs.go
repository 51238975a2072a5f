package gitrepo

import (
	"context"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/warren-wiki/warren/wiki"
)

// listAttachments lists the plain non-page files directly in dir at HEAD,
// the exact folder name first, else a case-insensitive match.
func (r *Repo) ListAttachments(ctx context.Context, dir string) ([]wiki.Attachment, error) {
	c, err := r.resolveCommit(ctx, "")
	if wiki.ErrorCode(err) == wiki.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	h, stored, ok, err := r.findDir(c.TreeHash, splitPath(dir), "")
	if err != nil || !ok {
		return nil, err
	}
	t, err := r.tree(h)
	if err != nil {
		return nil, err
	}
	var out []wiki.Attachment
	for _, e := range t.Entries {
		if !IsPlainFile(uint32(e.Mode)) || strings.HasSuffix(strings.ToLower(e.Name), wiki.PageExt) {
			continue
		}
		size, err := r.objectSize(e.Hash)
		if err != nil {
			return nil, err
		}
		out = append(out, wiki.Attachment{Name: e.Name, Path: stored + e.Name, Blob: e.Hash.String(), Size: size})
	}
	return out, nil
}

// findDir finds the tree at parts below tree h, matching each component
// exactly first, then case-insensitively. stored is the path as stored,
// ending in "/".
func (r *Repo) findDir(h plumbing.Hash, parts []string, prefix string) (plumbing.Hash, string, bool, error) {
	if len(parts) == 0 {
		return h, prefix, true, nil
	}
	t, err := r.tree(h)
	if err != nil {
		return h, "", false, err
	}
	for _, e := range candidates(t.Entries, parts[0], true) {
		if e.Mode != filemode.Dir {
			continue
		}
		if sub, stored, ok, err := r.findDir(e.Hash, parts[1:], prefix+e.Name+"/"); err != nil || ok {
			return sub, stored, ok, err
		}
	}
	return h, "", false, nil
}
func IsPlainFile(mode uint32) bool {
	return mode == uint32(filemode.Regular) || mode == uint32(filemode.Executable)
}
