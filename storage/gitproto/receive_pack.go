package gitproto

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"sync"

	"github.com/warren-wiki/warren/storage/gitpack"
	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/wiki"
)

// ReceivePackCapabilities are the receive-pack capabilities warren
// implements, for the ref advertisement. Thin packs are accepted (their
// bases are appended from the repository, as git's index-pack --fix-thin
// does), so "no-thin" is not among them. Measured on a 2,000-commit wiki
// (BenchmarkPushSmallEdit, BenchmarkReceiveSmallEdit): a one-line edit of a
// 3.6 KiB page pushes 335 bytes thin against 5,373 bytes with no-thin, and
// the server spends the same 20-40 ms either way; git ignores --no-thin
// over smart HTTP, so only the advertisement could turn thin packs off.
var ReceivePackCapabilities = []string{
	"report-status", "delete-refs", "atomic", "ofs-delta", "side-band-64k", "quiet",
}

// ReceiveOptions say what one push may do and what follows it.
type ReceiveOptions struct {
	Limits   gitpack.Limits
	CanForce bool // may force-push and delete main (wiki admins)
	// OnUpdated runs after refs moved (e.g. index catch-up), once the
	// write lock is released; its failure is reported to the pusher as a
	// warning, the push stays saved.
	OnUpdated func(ctx context.Context) error
	// Repacker, if set, is asked to consolidate the repository in the
	// background after a push that added a pack.
	Repacker *gitrepo.Repacker
	// Logger receives failures the client cannot be told about; nil
	// discards them.
	Logger *slog.Logger
	// Check, if set, sees the push once its commands passed the ref policy
	// and the object checks, before anything is installed or moved
	// (receive_check.go). An error with a wiki code other than EINTERNAL
	// refuses every command with its message, so nothing is updated; any
	// other error fails the push as a server error.
	Check func(ctx context.Context, p *PushCheck) error
	// Moved, if set, is told which updates took effect, after the write
	// lock is released (for the audit trail).
	Moved func(ctx context.Context, updates []RefUpdate)
}

// ReceivePack serves one stateless-rpc git-receive-pack request: it reads
// the commands and the pack, checks both, installs the pack durably and
// moves each accepted ref by compare-and-swap under lock (the wiki's write
// lock, which web saves take too), then reports per ref.
//
// A malformed command list is returned as EINVALID before anything is
// written, so the caller can answer 400. Everything after that (a bad pack,
// refused refs) is reported through report-status and ReceivePack returns
// nil; an error returned after the answer began is for the log only.
func ReceivePack(ctx context.Context, repo *gitrepo.Repo, lock sync.Locker, req io.Reader, w io.Writer, opt ReceiveOptions) error {
	opt.Limits = opt.Limits.PushLimits()
	body := NewLimitReader(req, opt.Limits.MaxPush, "the push")
	pr := newPktReader(body)
	push, err := readPushRequest(pr)
	if err != nil {
		return err
	}
	if len(push.cmds) == 0 {
		return nil // git's probe, or a push with nothing to do
	}
	rp := &receiver{repo: repo, lock: lock, opt: opt, push: push, rep: newReporter(w, push.caps)}
	if push.needsPack() {
		in, err := gitpack.ReceivePackFile(repo, pr.r, opt.Limits)
		if err != nil {
			return rp.unpackFailed(ctx, err, body)
		}
		defer in.Discard() // removes the temporary files unless installed
		rp.in = in
		rp.rep.progress("received %d objects (%s)%s", in.Count-in.Thin, gitpack.ByteSize(in.Received), thinNote(in.Thin))
	}
	if err := rp.run(ctx); err != nil {
		for _, c := range push.cmds {
			c.refuse("internal server error")
			c.moved = false
		}
		rp.rep.status("", push.cmds)
		rp.rep.finish()
		return err
	}
	return rp.rep.finish()
}

// receiver is one push on its way through ReceivePack.
type receiver struct {
	repo *gitrepo.Repo
	lock sync.Locker
	opt  ReceiveOptions
	push *pushRequest
	in   *gitpack.IncomingPack // nil if the push brought no pack
	rep  *reporter
}

// run checks the commands, installs the pack, moves the refs and reports.
func (rp *receiver) run(ctx context.Context) error {
	if err := rp.checkCommands(ctx); err != nil {
		return err
	}
	accepted := rp.accepted()
	if ok, err := rp.runCheck(ctx, accepted); err != nil {
		return err
	} else if !ok {
		accepted = nil // refused as a whole: nothing is installed or moved
	}
	if err := ctx.Err(); err != nil {
		return err // the client is gone: move nothing
	}
	if rp.in != nil && len(accepted) > 0 {
		if err := rp.in.Install(); err != nil {
			return err
		}
		if err := rp.repo.Reload(); err != nil {
			return err
		}
	}
	moved, err := rp.updateRefs(context.WithoutCancel(ctx), accepted)
	if err != nil {
		return err
	}
	rp.rep.status("", rp.push.cmds)
	if moved && rp.opt.OnUpdated != nil {
		if err := rp.opt.OnUpdated(context.WithoutCancel(ctx)); err != nil {
			rp.log("index update after push failed", err)
			rp.rep.message("the push is saved, but updating the wiki's pages failed; they catch up on the next change")
		}
	}
	if moved && rp.opt.Moved != nil {
		rp.opt.Moved(context.WithoutCancel(ctx), rp.movedUpdates())
	}
	if rp.in != nil && rp.in.Count > 0 && moved && rp.opt.Repacker != nil {
		rp.opt.Repacker.Enqueue(rp.repo)
	}
	return nil
}

// accepted lists the commands not refused so far.
func (rp *receiver) accepted() []*pushCommand {
	var out []*pushCommand
	for _, c := range rp.push.cmds {
		if c.reason == "" {
			out = append(out, c)
		}
	}
	return out
}

// unpackFailed reports a pack that could not be received: every command is
// refused and nothing is changed.
func (rp *receiver) unpackFailed(ctx context.Context, err error, body *LimitReader) error {
	var ue *gitpack.ErrUnpack
	msg := ""
	switch {
	case errors.As(err, &ue):
		msg = ue.Msg
	case wiki.ErrorCode(err) == wiki.ETOOLARGE:
		msg = wiki.ErrorMessage(err)
		body.drain()
	case ctx.Err() != nil:
		return err // the client went away; there is nobody to tell
	default:
		msg = "the server could not receive the pack"
	}
	for _, c := range rp.push.cmds {
		c.refuse("unpacker error")
	}
	rp.rep.status(msg, rp.push.cmds)
	if werr := rp.rep.finish(); werr != nil || ue != nil || wiki.ErrorCode(err) == wiki.ETOOLARGE {
		return werr
	}
	return err // a broken connection or a full disk: for the log
}

func (rp *receiver) log(msg string, err error) {
	if rp.opt.Logger != nil {
		rp.opt.Logger.Error(msg, "repo", rp.repo.Dir(), "err", err)
	}
}

func thinNote(n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return ", completed with 1 base from the wiki"
	}
	return ", completed with " + strconv.Itoa(n) + " bases from the wiki"
}

// Limits bound what a push may bring; the server configures them once.
type Limits = gitpack.Limits
