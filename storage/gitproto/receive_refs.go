package gitproto

import (
	"context"
	"errors"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/warren-wiki/warren/storage/gitpack"
	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/wiki"
)

// Ref policy for pushes. Only branches and tags can be pushed. Editors may
// create, fast-forward and delete branches and create and delete tags;
// rewriting history (a non-fast-forward update, moving a tag) and deleting
// main need CanForce (wiki admins). Every update is a compare-and-swap
// against the id the client last saw, under the wiki's write lock. The
// fast-forward check is made against that same id before the lock is
// taken: the swap only succeeds if the ref is still there, so the check
// holds, and the lock is held for the ref updates alone.

// checkCommands applies the ref policy and checks the objects of every
// command, before anything is installed or moved. With atomic, one refusal
// refuses all.
func (rp *receiver) checkCommands(ctx context.Context) error {
	refs, err := rp.repo.Refs(ctx)
	if err != nil {
		return err
	}
	v := newPushValidator(&gitpack.PushObjects{Repo: rp.repo, In: rp.in}, refs, rp.opt.Limits.MaxBlob)
	for _, c := range rp.push.cmds {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := rp.checkCommand(v, c); err != nil {
			return err
		}
	}
	if rp.push.caps.atomic {
		refuseAllIfAny(rp.push.cmds)
	}
	return nil
}

// checkCommand refuses c with a reason if it breaks the policy or brings
// objects that are not allowed; the error is for server failures only.
func (rp *receiver) checkCommand(v *pushValidator, c *pushCommand) error {
	isBranch := strings.HasPrefix(c.name, "refs/heads/")
	if !isBranch && !strings.HasPrefix(c.name, "refs/tags/") {
		c.refuse("only branches (refs/heads/*) and tags (refs/tags/*) can be pushed")
		return nil
	}
	if gitrepo.CheckRefName(c.name) != nil {
		c.refuse("invalid ref name")
		return nil
	}
	if c.isDelete() {
		if c.name == gitrepo.MainBranch && !rp.opt.CanForce {
			c.refuse("deleting the main branch needs the admin role")
		}
		return nil
	}
	if err := v.checkTip(c.name, c.old, c.new); err != nil {
		return refuseOrFail(c, err)
	}
	if c.isCreate() {
		return nil
	}
	if rp.opt.CanForce {
		return rp.noteForced(v, c, isBranch)
	}
	if !isBranch {
		c.refuse("tag already exists; moving a tag needs the admin role")
		return nil
	}
	ff, err := v.isAncestor(c.old, c.new)
	var ie *internalError
	if errors.As(err, &ie) {
		return err
	}
	if !ff {
		c.refuse("non-fast-forward: fetch first and merge; only admins may force-push")
	}
	return nil
}

// refuseOrFail turns a check's error into the command's reason, unless the
// server itself failed.
func refuseOrFail(c *pushCommand, err error) error {
	var ie *internalError
	if errors.As(err, &ie) {
		return err
	}
	c.refuse("%s", err.Error())
	return nil
}

// refuseAllIfAny refuses every command once one is refused (atomic).
func refuseAllIfAny(cmds []*pushCommand) {
	bad := ""
	for _, c := range cmds {
		if c.reason != "" {
			bad = c.name
			break
		}
	}
	if bad == "" {
		return
	}
	for _, c := range cmds {
		c.refuse("atomic push failed: %s was refused", bad)
	}
}

// updateRefs moves the accepted refs under the write lock, each by
// compare-and-swap. With atomic, the current values are checked first and
// a failure part-way undoes the updates already made. It reports whether
// any ref moved.
func (rp *receiver) updateRefs(ctx context.Context, cmds []*pushCommand) (bool, error) {
	if len(cmds) == 0 {
		return false, nil
	}
	rp.lock.Lock()
	defer rp.lock.Unlock()
	if rp.push.caps.atomic {
		refs, err := rp.repo.Refs(ctx)
		if err != nil {
			return false, err
		}
		for _, c := range cmds {
			if refs[c.name] != hexOrEmpty(c.old) {
				c.refuse("fetch first: %s changed since you fetched", c.name)
			}
		}
		if refuseAllIfAny(rp.push.cmds); len(rp.accepted()) == 0 {
			return false, nil
		}
	}
	moved := false
	for i, c := range cmds {
		err := rp.repo.UpdateRef(ctx, c.name, hexOrEmpty(c.old), hexOrEmpty(c.new))
		if err == nil {
			c.moved, moved = true, true
			continue
		}
		c.refuse("%s", rp.refReason(c, err))
		if rp.push.caps.atomic {
			rp.rollback(ctx, cmds[:i])
			refuseAllIfAny(rp.push.cmds)
			return false, nil
		}
	}
	return moved, nil
}

// rollback undoes the updates of an atomic push that failed part-way.
func (rp *receiver) rollback(ctx context.Context, done []*pushCommand) {
	for i := len(done) - 1; i >= 0; i-- {
		c := done[i]
		if err := rp.repo.UpdateRef(ctx, c.name, hexOrEmpty(c.new), hexOrEmpty(c.old)); err != nil {
			rp.log("undoing a ref update of a failed atomic push", err)
		}
		c.moved = false
	}
}

// refReason words a failed compare-and-swap for the pusher.
func (rp *receiver) refReason(c *pushCommand, err error) string {
	switch wiki.ErrorCode(err) {
	case wiki.ECONFLICT:
		return "fetch first: " + wiki.ErrorMessage(err)
	case wiki.EINVALID:
		return wiki.ErrorMessage(err)
	}
	rp.log("ref update failed", err)
	return "internal server error"
}

// hexOrEmpty is an id as UpdateRef takes it ("" for none).
func hexOrEmpty(h plumbing.Hash) string {
	if h.IsZero() {
		return ""
	}
	return h.String()
}
