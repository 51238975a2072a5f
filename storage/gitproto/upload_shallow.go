package gitproto

import (
	"errors"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/warren-wiki/warren/storage/gitpack"
	"github.com/warren-wiki/warren/wiki"
)

// shallowUpdate handles the client's shallow lines and its deepen request
// (git's send_shallow_list): it computes the new shallow boundary, writes
// the "shallow"/"unshallow" lines and a flush, and registers the boundary
// so that the walks stop there. Unshallowed commits' parents become wants
// and the commits themselves edges the client has.
func (u *uploader) shallowUpdate(out *pktBuf) error {
	for _, h := range u.req.shallows {
		n, err := u.g.Get(h)
		if wiki.ErrorCode(err) == wiki.ENOTFOUND {
			continue // a commit we never had: nothing to say about it
		}
		if errors.Is(err, gitpack.ErrNotCommit) {
			return wiki.Errorf(wiki.EINVALID, "invalid shallow object %s", h)
		}
		if err != nil {
			return err
		}
		if n.Flags&gitpack.WfClientShallow == 0 {
			n.Flags |= gitpack.WfClientShallow
			u.clientShallows = append(u.clientShallows, n)
		}
	}
	switch {
	case u.req.depth > 0:
		if err := u.deepen(out); err != nil {
			return err
		}
	case u.req.deepenByRevList():
		if err := u.deepenByRevList(out); err != nil {
			return err
		}
	default:
		for _, n := range u.clientShallows {
			u.g.Shallow[n.Hash] = true
		}
		return nil
	}
	out.flush()
	return nil
}

// deepen answers "deepen N": N commits from each want, or from the client's
// current boundary with deepen-relative; the infinite depth of --unshallow
// unshallows everything.
func (u *uploader) deepen(out *pktBuf) error {
	depth := u.req.depth
	if depth >= infiniteDepth {
		for _, n := range u.clientShallows {
			n.Flags |= gitpack.WfNotShallow
		}
		return u.sendUnshallow(out)
	}
	heads := u.wants
	if u.req.deepenRelative {
		var cs []plumbing.Hash
		for _, n := range u.clientShallows {
			cs = append(cs, n.Hash)
		}
		lost, err := u.g.Unreachable(u.tips(), cs)
		if err != nil {
			return err
		}
		heads = nil
		for _, h := range cs {
			if !containsOID(lost, h) {
				heads = append(heads, h)
			}
		}
		depth++
	}
	result, err := u.shallowCommits(heads, depth)
	if err != nil {
		return err
	}
	u.sendShallow(out, result)
	return u.sendUnshallow(out)
}

// shallowCommits walks depth commits down from heads (git's
// get_shallow_commits): commits above the depth are flagged NOT_SHALLOW,
// those at it are the new boundary. A commit reached again by a shorter
// path is walked again.
func (u *uploader) shallowCommits(heads []plumbing.Hash, depth int) ([]*gitpack.WalkCommit, error) {
	depthOf := map[plumbing.Hash]int{}
	var result []*gitpack.WalkCommit
	type item struct {
		n *gitpack.WalkCommit
		d int
	}
	var stack []item
	for _, h := range heads {
		c, err := u.peelCommit(h)
		if err != nil || c == nil {
			if err != nil {
				return nil, err
			}
			continue
		}
		depthOf[c.Hash] = 0
		stack = append(stack, item{c, 0})
		for len(stack) > 0 {
			it := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			d := it.d + 1
			if d >= depth {
				if it.n.Flags&gitpack.WfShallow == 0 {
					it.n.Flags |= gitpack.WfShallow
					result = append(result, it.n)
				}
				continue
			}
			it.n.Flags |= gitpack.WfNotShallow
			for _, ph := range it.n.Parents {
				if old, ok := depthOf[ph]; ok && d >= old {
					continue
				}
				depthOf[ph] = d
				p, err := u.g.MustGet(ph)
				if err != nil {
					return nil, err
				}
				stack = append(stack, item{p, d})
			}
		}
	}
	return result, nil
}

// deepenByRevList answers deepen-since and deepen-not: the commits to send
// are those reachable from the wants that are not older than the date and
// not reachable from the excluded refs; the boundary is every such commit
// with a parent outside the set.
func (u *uploader) deepenByRevList(out *pktBuf) error {
	excluded := map[plumbing.Hash]bool{}
	for _, name := range u.req.deepenNot {
		h, err := u.expandRef(name)
		if err != nil {
			return err
		}
		if err := u.reachableCommits(h, excluded); err != nil {
			return err
		}
	}
	included := map[plumbing.Hash]bool{}
	var order []*gitpack.WalkCommit
	var stack []*gitpack.WalkCommit
	for _, h := range u.wants {
		c, err := u.peelCommit(h)
		if err != nil {
			return err
		}
		if c != nil {
			stack = append(stack, c)
		}
	}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if included[n.Hash] || excluded[n.Hash] || n.Date < u.req.deepenSince {
			continue
		}
		included[n.Hash] = true
		order = append(order, n)
		n.Flags |= gitpack.WfNotShallow
		for _, ph := range n.Parents {
			p, err := u.g.MustGet(ph)
			if err != nil {
				return err
			}
			stack = append(stack, p)
		}
	}
	if len(order) == 0 {
		return wiki.Errorf(wiki.EINVALID, "no commits selected for shallow requests")
	}
	var result []*gitpack.WalkCommit
	for _, n := range order {
		for _, ph := range n.Parents {
			if !included[ph] {
				n.Flags |= gitpack.WfShallow
				result = append(result, n)
				break
			}
		}
	}
	for _, n := range result {
		n.Flags &^= gitpack.WfNotShallow
	}
	u.sendShallow(out, result)
	return u.sendUnshallow(out)
}

// reachableCommits adds to set every commit reachable from h.
func (u *uploader) reachableCommits(h plumbing.Hash, set map[plumbing.Hash]bool) error {
	c, err := u.peelCommit(h)
	if err != nil || c == nil {
		return err
	}
	stack := []*gitpack.WalkCommit{c}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if set[n.Hash] {
			continue
		}
		set[n.Hash] = true
		for _, ph := range n.Parents {
			p, err := u.g.MustGet(ph)
			if err != nil {
				return err
			}
			stack = append(stack, p)
		}
	}
	return nil
}

// expandRef resolves a deepen-not name the way git's DWIM rules do.
func (u *uploader) expandRef(name string) (plumbing.Hash, error) {
	var found []advRef
	for _, pattern := range []string{"%s", "refs/%s", "refs/tags/%s", "refs/heads/%s", "refs/remotes/%s", "refs/remotes/%s/HEAD"} {
		full := strings.Replace(pattern, "%s", name, 1)
		for _, r := range u.refs.refs {
			if r.name == full {
				found = append(found, r)
			}
		}
	}
	switch len(found) {
	case 0:
		return plumbing.ZeroHash, wiki.Errorf(wiki.EINVALID, "deepen-not is not a ref: %s", name)
	case 1:
		return found[0].hash, nil
	}
	return plumbing.ZeroHash, wiki.Errorf(wiki.EINVALID, "ambiguous deepen-not: %s", name)
}

// sendShallow writes the new boundary commits the client does not already
// have as shallow, and registers them.
func (u *uploader) sendShallow(out *pktBuf, result []*gitpack.WalkCommit) {
	for _, n := range result {
		if n.Flags&(gitpack.WfClientShallow|gitpack.WfNotShallow) != 0 || u.g.Shallow[n.Hash] {
			continue
		}
		out.line("shallow %s\n", n.Hash)
		u.g.Shallow[n.Hash] = true
	}
}

// sendUnshallow tells the client which of its shallow commits get their
// parents now; those parents are added to the wants. Every client shallow
// commit stays parentless for the walks, as on the client.
func (u *uploader) sendUnshallow(out *pktBuf) error {
	for _, n := range u.clientShallows {
		if n.Flags&gitpack.WfNotShallow != 0 {
			out.line("unshallow %s\n", n.Hash)
			n.Flags &^= gitpack.WfClientShallow
			u.wants = append(u.wants, n.Parents...)
			u.extraEdges = append(u.extraEdges, n.Hash)
		}
		u.g.Shallow[n.Hash] = true
	}
	return nil
}

// peelCommit follows tags from h; nil if it ends at a tree or blob.
func (u *uploader) peelCommit(h plumbing.Hash) (*gitpack.WalkCommit, error) {
	target, typ, err := u.st.Peel(h)
	if err != nil {
		return nil, err
	}
	if typ != gitpack.ObjCommit {
		return nil, nil
	}
	return u.g.MustGet(target)
}

func containsOID(list []plumbing.Hash, h plumbing.Hash) bool {
	for _, x := range list {
		if x == h {
			return true
		}
	}
	return false
}
