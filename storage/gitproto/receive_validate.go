package gitproto

import (
	"errors"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"

	"github.com/warren-wiki/warren/storage/gitpack"
	"github.com/warren-wiki/warren/wiki"
)

// A push is checked before any ref moves, in two ways.
//
// What will be served, the tree at each new tip, must hold what the web
// could have written: every path valid by the page-name rules (so every
// page file has a URL), regular files under the size limit; symlinks and
// submodule entries are kept as the inert objects they are (never followed,
// never served, since warren has no working tree). Entries equal to the
// tree the ref pointed at before were checked when that was pushed.
//
// Everything a new tip makes reachable and no existing ref reaches (older
// commits, their trees) only needs to be well-formed and complete, so that
// real histories import as they are: an old symlink, a path that was odd
// in a commit from 2019. Even there, path components that can hurt a
// client checking the commit out (".", "..", ".git" in any disguise, as
// wiki.CheckPathComponent says) are refused, as git's own fsck refuses
// them. Each commit's tree is compared with its first parent's, so a push
// costs the size of what it adds. Commits already in the repository but not
// reachable from a ref (left by a push that was partly refused) are checked
// like new ones.

// pushValidator checks the tips of one push. Its results for one tip are
// kept for the next only when that tip passed.
type pushValidator struct {
	objs       *gitpack.PushObjects
	maxBlob    int64
	refIDs     []plumbing.Hash        // what existing refs point at
	tips       map[plumbing.Hash]bool // the same, as a set
	reachable  map[plumbing.Hash]bool // commits existing refs reach; nil until needed
	heads      map[plumbing.Hash]gitpack.FsckCommitHead
	wellShaped map[plumbing.Hash]bool // trees that passed gitpack's shape check
	commits    map[plumbing.Hash]bool // commits checked by tips that passed
	trees      map[string]bool        // (rules, path, tree) checked by tips that passed
}

// treeRules says which checks a tree walk applies.
type treeRules uint8

const (
	wellFormed treeRules = iota // any commit: complete, well-formed, no harmful component
	served                      // the tip: also what the web could have written
)

func newPushValidator(objs *gitpack.PushObjects, refs map[string]string, maxBlob int64) *pushValidator {
	v := &pushValidator{
		objs: objs, maxBlob: maxBlob, tips: map[plumbing.Hash]bool{},
		heads: map[plumbing.Hash]gitpack.FsckCommitHead{}, wellShaped: map[plumbing.Hash]bool{}, commits: map[plumbing.Hash]bool{}, trees: map[string]bool{},
	}
	for name, id := range refs {
		if name != "HEAD" && gitpack.IsHexID(id) {
			h := plumbing.NewHash(id)
			v.refIDs = append(v.refIDs, h)
			v.tips[h] = true
		}
	}
	return v
}

// checkTip says why ref name may not point at id (moving from old, zero
// for a new ref); nil if it may.
func (v *pushValidator) checkTip(name string, old, id plumbing.Hash) error {
	typ, _, _, err := v.objs.Info(id)
	if err != nil {
		return v.objectError(id, err)
	}
	if strings.HasPrefix(name, "refs/tags/") {
		if id, typ, err = v.peelTag(id, typ); err != nil {
			return err
		}
	}
	if typ != plumbing.CommitObject {
		return fmt.Errorf("%s must point to a commit, not a %s", name, typ)
	}
	if err := v.checkHistory(id); err != nil {
		return err
	}
	return v.checkServed(id, old)
}

// checkServed applies the tip rules to the tree of commit tip, skipping
// what the tree of old (the ref's previous commit, if any) already held.
func (v *pushValidator) checkServed(tip, old plumbing.Hash) error {
	head, err := v.commit(tip)
	if err != nil {
		return err
	}
	var before plumbing.Hash
	if !old.IsZero() {
		if typ, _, _, err := v.objs.Info(old); err == nil && typ == plumbing.CommitObject {
			if h, err := v.commit(old); err == nil {
				before = h.Tree
			}
		}
	}
	checked := map[string]bool{}
	if err := v.checkTree(checked, served, head.Tree, before, ""); err != nil {
		return err
	}
	for t := range checked {
		v.trees[t] = true
	}
	return nil
}

// peelTag follows annotated tags (checking each) to what they name.
func (v *pushValidator) peelTag(id plumbing.Hash, typ plumbing.ObjectType) (plumbing.Hash, plumbing.ObjectType, error) {
	for depth := 0; typ == plumbing.TagObject; depth++ {
		if depth > 10 {
			return id, typ, errors.New("tags nested too deeply")
		}
		data, err := v.objs.Read(id, plumbing.TagObject)
		if err != nil {
			return id, typ, v.objectError(id, err)
		}
		t, err := gitpack.FsckTag(data)
		if err != nil {
			return id, typ, fmt.Errorf("tag %s: %v", id, err)
		}
		if typ, _, _, err = v.objs.Info(t.Target); err != nil {
			return id, typ, v.objectError(t.Target, err)
		}
		if typ != t.Typ {
			return id, typ, fmt.Errorf("tag %s says it names a %s, but %s is a %s", id, t.Typ, t.Target, typ)
		}
		id = t.Target
	}
	return id, typ, nil
}

// checkHistory checks every commit tip makes newly reachable.
func (v *pushValidator) checkHistory(tip plumbing.Hash) error {
	commits := map[plumbing.Hash]bool{}
	trees := map[string]bool{}
	stack := []plumbing.Hash{tip}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if commits[c] || v.commits[c] || v.tips[c] {
			continue
		}
		_, _, pushed, err := v.objs.Info(c)
		if err != nil {
			return v.objectError(c, err)
		}
		if !pushed {
			reachable, err := v.isReachable(c)
			if err != nil {
				return err
			}
			if reachable {
				continue
			}
		}
		commits[c] = true
		head, err := v.commit(c)
		if err != nil {
			return err
		}
		var parentTree plumbing.Hash
		if len(head.Parents) > 0 {
			p, err := v.commit(head.Parents[0])
			if err != nil {
				return err
			}
			parentTree = p.Tree
		}
		if err := v.checkTree(trees, wellFormed, head.Tree, parentTree, ""); err != nil {
			return err
		}
		stack = append(stack, head.Parents...)
	}
	for c := range commits {
		v.commits[c] = true
	}
	for t := range trees {
		v.trees[t] = true
	}
	return nil
}

// commit reads a commit once per push.
func (v *pushValidator) commit(id plumbing.Hash) (gitpack.FsckCommitHead, error) {
	if h, ok := v.heads[id]; ok {
		return h, nil
	}
	h, err := v.objs.Commit(id)
	if err != nil {
		return h, v.objectError(id, err)
	}
	v.heads[id] = h
	return h, nil
}

// checkTree checks the entries of tree id (at path prefix) that differ from
// tree old. checked holds the (rules, path, tree) keys of this tip already done.
func (v *pushValidator) checkTree(checked map[string]bool, rules treeRules, id, old plumbing.Hash, prefix string) error {
	if id == old {
		return nil
	}
	key := string(rune('0'+rules)) + prefix + "\x00" + string(id[:])
	if checked[key] || v.trees[key] {
		return nil
	}
	tree, err := v.objs.Read(id, plumbing.TreeObject)
	if err != nil {
		return v.treeError(prefix, id, err)
	}
	var before []byte
	if !old.IsZero() {
		if t, err := v.objs.Read(old, plumbing.TreeObject); err == nil {
			before = t // an old tree that cannot be read counts as empty
		}
	}
	// Trees are read in place: a tree's shape is checked the first time it
	// is read as a new tree, in the same pass that compares it with the old
	// one byte by byte, so a long history costs one pass over each tree.
	check := !v.wellShaped[id]
	err = gitpack.DiffTree(tree, before, check, func(e *gitpack.TreeEntry, sub plumbing.Hash) error {
		return v.checkEntry(checked, rules, e, sub, prefix+string(e.Name))
	})
	var fault *gitpack.ObjectFault
	if errors.As(err, &fault) {
		return fmt.Errorf("%s: %s", treePath(prefix), fault.Msg) // the tree is malformed
	} else if err != nil {
		return err // an entry's refusal, or a failure of the server
	}
	v.wellShaped[id] = true
	checked[key] = true
	return nil
}

// treeError words a tree that could not be read for the pusher.
func (v *pushValidator) treeError(prefix string, id plumbing.Hash, err error) error {
	var fault *gitpack.ObjectFault
	if errors.As(err, &fault) {
		return fmt.Errorf("%s: %s", treePath(prefix), fault.Msg)
	}
	return v.objectError(id, err)
}

// checkEntry checks one new or changed tree entry at path p.
func (v *pushValidator) checkEntry(checked map[string]bool, rules treeRules, e *gitpack.TreeEntry, old plumbing.Hash, p string) error {
	if err := wiki.CheckPathComponent(string(e.Name)); err != nil {
		return fmt.Errorf("path not allowed: %q: %s", p, wiki.ErrorMessage(err))
	}
	if rules == served {
		if err := servedPath(p, e.Mode); err != nil {
			return err
		}
	}
	switch e.Mode {
	case filemode.Dir:
		return v.checkTree(checked, rules, e.ID, old, p+"/")
	case filemode.Submodule:
		return nil // names a commit of another repository: inert, never fetched
	case filemode.Regular, filemode.Executable, filemode.Deprecated, filemode.Symlink:
	default:
		return fmt.Errorf("file mode %o not allowed: %s", uint32(e.Mode), p)
	}
	typ, size, _, err := v.objs.Info(e.ID)
	if err != nil {
		return v.objectError(e.ID, err)
	}
	if typ != plumbing.BlobObject {
		return fmt.Errorf("%s is a %s, not a file", p, typ)
	}
	if rules == served && size > v.maxBlob {
		return fmt.Errorf("file too large: %s is %s, over the limit of %s", p, gitpack.ByteSize(size), gitpack.ByteSize(v.maxBlob))
	}
	return nil
}

// servedPath applies the page-name rules to a path of a tip's tree, so
// that every file served has a URL and every page file a page name.
func servedPath(p string, mode filemode.FileMode) error {
	if err := wiki.ValidateFilePath(p); err != nil {
		return fmt.Errorf("path not allowed: %q: %s", p, wiki.ErrorMessage(err))
	}
	if mode == filemode.Dir {
		return nil
	}
	if name, ok := wiki.PageNameOf(p); ok {
		if err := wiki.ValidatePageName(name); err != nil {
			return fmt.Errorf("path not allowed: %q: %s", p, wiki.ErrorMessage(err))
		}
	}
	return nil
}

// isReachable says whether an existing ref reaches commit c. The set is
// computed once per push, and only for pushes that need it (a new branch
// or tag at an old commit).
func (v *pushValidator) isReachable(c plumbing.Hash) (bool, error) {
	if v.reachable == nil {
		v.reachable = map[plumbing.Hash]bool{}
		stack := []plumbing.Hash{}
		for _, id := range v.refIDs {
			typ, _, _, err := v.objs.Info(id)
			if err == nil {
				id, typ, err = v.peelTag(id, typ)
			}
			if err == nil && typ == plumbing.CommitObject {
				stack = append(stack, id)
			}
		}
		for len(stack) > 0 {
			id := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if v.reachable[id] {
				continue
			}
			v.reachable[id] = true
			head, err := v.commit(id)
			if err != nil {
				return false, err
			}
			stack = append(stack, head.Parents...)
		}
	}
	return v.reachable[c], nil
}

// isAncestor says whether commit anc is reachable from commit desc, for the
// fast-forward check.
func (v *pushValidator) isAncestor(anc, desc plumbing.Hash) (bool, error) {
	seen := map[plumbing.Hash]bool{}
	stack := []plumbing.Hash{desc}
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if id == anc {
			return true, nil
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		head, err := v.commit(id)
		if err != nil {
			return false, err
		}
		stack = append(stack, head.Parents...)
	}
	return false, nil
}

// objectError words a failed object read for the pusher.
func (v *pushValidator) objectError(id plumbing.Hash, err error) error {
	if errors.Is(err, gitpack.ErrMissing) {
		return fmt.Errorf("missing object %s (the push does not bring it and the wiki does not have it)", id)
	}
	var fault *gitpack.ObjectFault
	if errors.As(err, &fault) {
		return fmt.Errorf("object %s %s", id, fault.Msg)
	}
	return &internalError{err}
}

// internalError marks a failure of the server, not of the push; it aborts
// the push instead of being reported as a reason.
type internalError struct{ err error }

func (e *internalError) Error() string { return e.err.Error() }
func (e *internalError) Unwrap() error { return e.err }

func treePath(prefix string) string {
	if prefix == "" {
		return "the root tree"
	}
	return strings.TrimSuffix(prefix, "/")
}
