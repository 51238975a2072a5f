package gitproto

import (
	"context"
	"errors"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/warren-wiki/warren/storage/gitpack"
	"github.com/warren-wiki/warren/wiki"
)

// A push passes two more hands besides the ref policy and the object
// checks: ReceiveOptions.Check sees the whole push before anything is
// installed (protected paths and quotas live above this package), and
// ReceiveOptions.Moved learns which updates took effect (the audit trail
// records force-pushes and deletions).

// RefUpdate is one ref a push changes, as the hooks see it. Old is "" for
// a ref the push creates, New "" for one it deletes.
type RefUpdate struct {
	Name   string
	Old    string
	New    string
	Forced bool // rewrites history: a non-fast-forward branch update, or a moved tag
}

// IsDelete reports whether the update deletes the ref.
func (u RefUpdate) IsDelete() bool { return u.New == "" }

// IsCreate reports whether the update creates the ref.
func (u RefUpdate) IsCreate() bool { return u.Old == "" }

// PushCheck is what ReceiveOptions.Check is shown: the updates that passed
// every other check, the size of the pack that brings them, and the paths
// each one changes.
type PushCheck struct {
	Updates   []RefUpdate
	PackBytes int64 // bytes the client sent (0: the push brought no pack)
	objs      *gitpack.PushObjects
}

// Changes lists the repository paths that differ between the update's old
// and new tip — the net change the ref's readers will see — with the size
// of each new file. A created ref is compared with an empty tree.
func (p *PushCheck) Changes(u RefUpdate) ([]wiki.PathChange, error) {
	oldTree, err := p.treeOf(u.Old)
	if err != nil {
		return nil, err
	}
	newTree, err := p.treeOf(u.New)
	if err != nil {
		return nil, err
	}
	var out []wiki.PathChange
	err = p.diff(oldTree, newTree, "", &out)
	return out, err
}

// treeOf is the root tree of a commit ("" or a non-commit: none).
func (p *PushCheck) treeOf(id string) (plumbing.Hash, error) {
	if id == "" {
		return plumbing.ZeroHash, nil
	}
	h, err := p.objs.Commit(plumbing.NewHash(id))
	if err != nil {
		return plumbing.ZeroHash, err
	}
	return h.Tree, nil
}

// diff appends the paths under prefix where trees a and b differ. Trees
// are compared in place (gitpack.CompareTrees), one byte comparison per
// unchanged entry.
func (p *PushCheck) diff(a, b plumbing.Hash, prefix string, out *[]wiki.PathChange) error {
	if a == b {
		return nil
	}
	ta, err := p.tree(a)
	if err != nil {
		return err
	}
	tb, err := p.tree(b)
	if err != nil {
		return err
	}
	return gitpack.CompareTrees(ta, tb, func(x, y *gitpack.TreeEntry) error {
		return p.diffEntry(x, y, prefix, out)
	})
}

// diffEntry compares one entry of two trees (x old, y new, either nil):
// directories recurse, files become changes (a file replaced by a
// directory is both).
func (p *PushCheck) diffEntry(x, y *gitpack.TreeEntry, prefix string, out *[]wiki.PathChange) error {
	var subA, subB plumbing.Hash
	name := prefix
	if x != nil {
		name += string(x.Name)
	} else {
		name += string(y.Name)
	}
	if x != nil && x.IsDir() {
		subA = x.ID
	}
	if y != nil && y.IsDir() {
		subB = y.ID
	}
	if !subA.IsZero() || !subB.IsZero() {
		if err := p.diff(subA, subB, name+"/", out); err != nil {
			return err
		}
	}
	switch {
	case y != nil && !y.IsDir():
		_, size, _, err := p.objs.Info(y.ID)
		if err != nil {
			return err
		}
		*out = append(*out, wiki.PathChange{Path: name, Size: size})
	case x != nil && !x.IsDir():
		*out = append(*out, wiki.PathChange{Path: name, Delete: true})
	}
	return nil
}

// tree reads a tree's content (the zero id: an empty tree).
func (p *PushCheck) tree(id plumbing.Hash) ([]byte, error) {
	if id.IsZero() {
		return nil, nil
	}
	return p.objs.Read(id, plumbing.TreeObject)
}

// runCheck asks opt.Check about the accepted commands. A refusal (an
// error with a code other than EINTERNAL) refuses every command with its
// message, so nothing of the push is applied; it reports whether the push
// may go on.
func (rp *receiver) runCheck(ctx context.Context, accepted []*pushCommand) (bool, error) {
	if rp.opt.Check == nil || len(accepted) == 0 {
		return true, nil
	}
	pc := &PushCheck{Updates: updatesOf(accepted), objs: &gitpack.PushObjects{Repo: rp.repo, In: rp.in}}
	if rp.in != nil {
		pc.PackBytes = rp.in.Received
	}
	err := rp.opt.Check(ctx, pc)
	if err == nil {
		return true, nil
	}
	var we *wiki.Error
	if !errors.As(err, &we) || we.Code == wiki.EINTERNAL {
		return false, err
	}
	for _, c := range rp.push.cmds {
		c.refuse("%s", we.Message)
	}
	return false, nil
}

// updatesOf describes commands for the hooks.
func updatesOf(cmds []*pushCommand) []RefUpdate {
	out := make([]RefUpdate, 0, len(cmds))
	for _, c := range cmds {
		out = append(out, RefUpdate{Name: c.name, Old: hexOrEmpty(c.old), New: hexOrEmpty(c.new), Forced: c.forced})
	}
	return out
}

// movedUpdates lists the commands whose ref moved, for opt.Moved.
func (rp *receiver) movedUpdates() []RefUpdate {
	var moved []*pushCommand
	for _, c := range rp.push.cmds {
		if c.moved {
			moved = append(moved, c)
		}
	}
	return updatesOf(moved)
}

// noteForced marks an update an admin may make anyway as forced when it
// rewrites history, so the audit trail can name it: a moved tag always
// does, a branch update when the old tip is not an ancestor of the new.
func (rp *receiver) noteForced(v *pushValidator, c *pushCommand, isBranch bool) error {
	if !isBranch {
		c.forced = true
		return nil
	}
	ff, err := v.isAncestor(c.old, c.new)
	var ie *internalError
	if errors.As(err, &ie) {
		return err
	}
	c.forced = !ff
	return nil
}
