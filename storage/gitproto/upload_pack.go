package gitproto

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/warren-wiki/warren/storage/gitpack"
	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/wiki"
	"golang.org/x/sync/semaphore"
)

// UploadOptions tune one upload-pack request.
type UploadOptions struct {
	// Packers bounds how many packs are built at once; the caller owns it
	// and shares it between requests (nil: no bound). Negotiation rounds
	// that send no pack never wait for it.
	Packers *semaphore.Weighted
}

// uploader is the state of one upload-pack request.
type uploader struct {
	ctx            context.Context
	st             *gitpack.ObjectStore
	refs           *advRefs
	req            *uploadRequest
	g              *gitpack.WalkGraph
	neg            *negotiation
	wants          []plumbing.Hash
	extraEdges     []plumbing.Hash // unshallowed commits: the client has them
	clientShallows []*gitpack.WalkCommit
}

// UploadPack serves one stateless-rpc git-upload-pack request (protocol
// v0/v1): the shallow update if the client deepens, the negotiation answer
// (multi_ack_detailed, no-done), and, when the client is done or we are
// ready, the pack on side-band-64k with progress on band 2. The pack reuses
// the repository's packed entries verbatim and is streamed as it is built.
// A malformed request is EINVALID before anything is written; a want we do
// not serve gets "ERR upload-pack: not our ref" in the protocol and an
// EINVALID error.
func UploadPack(ctx context.Context, repo *gitrepo.Repo, req io.Reader, w io.Writer, opt UploadOptions) error {
	r, err := parseUploadRequest(req)
	if err != nil {
		return err
	}
	if len(r.wants) == 0 {
		return nil
	}
	refs, st, err := openRefs(repo)
	if err != nil {
		return err
	}
	defer st.Close()
	u := &uploader{ctx: ctx, st: st, refs: refs, req: r, g: gitpack.NewWalkGraph(st)}
	u.wants = dedupeOIDs(r.wants)
	if bad, err := u.checkWants(); err != nil {
		return err
	} else if !bad.IsZero() {
		var out pktBuf
		out.line("ERR upload-pack: not our ref %s", bad)
		if werr := out.writeTo(w); werr != nil {
			return werr
		}
		return wiki.Errorf(wiki.EINVALID, "upload-pack: not our ref %s", bad)
	}
	var out pktBuf
	if err := u.shallowUpdate(&out); err != nil {
		return err
	}
	if !r.haveSection {
		return out.writeTo(w)
	}
	u.neg = &negotiation{g: u.g, wants: u.wants, theyHave: map[plumbing.Hash]bool{}, peeled: map[plumbing.Hash]*gitpack.WalkCommit{}}
	for _, h := range u.wants {
		if c, err := u.peelCommit(h); err != nil {
			return err
		} else if c != nil {
			u.neg.peeled[h] = c
		}
	}
	send, err := u.negotiate(&out)
	if err != nil {
		return err
	}
	if err := out.writeTo(w); err != nil || !send {
		return err
	}
	if opt.Packers != nil {
		if err := opt.Packers.Acquire(ctx, 1); err != nil {
			return err
		}
		defer opt.Packers.Release(1)
	}
	return u.sendPack(w)
}

// checkWants returns the first want we do not serve: one we lack, or one
// that is neither a ref tip (or its peeled tag) nor reachable from one.
func (u *uploader) checkWants() (plumbing.Hash, error) {
	tips := map[plumbing.Hash]bool{}
	for _, h := range u.tips() {
		tips[h] = true
	}
	for _, r := range u.refs.refs {
		tips[r.hash] = true
	}
	var commits []plumbing.Hash
	for _, h := range u.wants {
		if !u.st.Has(h) {
			return h, nil
		}
		if tips[h] {
			continue
		}
		typ, err := u.st.TypeOf(h)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		if typ != gitpack.ObjCommit {
			return h, nil // trees and blobs are served only as ref tips
		}
		commits = append(commits, h)
	}
	if len(commits) == 0 {
		return plumbing.ZeroHash, nil
	}
	lost, err := u.g.Unreachable(u.tips(), commits)
	if err != nil || len(lost) == 0 {
		return plumbing.ZeroHash, err
	}
	return lost[0], nil
}

// tips are the objects the refs finally point at (tags peeled).
func (u *uploader) tips() []plumbing.Hash {
	var out []plumbing.Hash
	if !u.refs.head.IsZero() {
		out = append(out, u.refs.head)
	}
	for _, r := range u.refs.refs {
		if r.isTag {
			out = append(out, r.peeled)
		} else {
			out = append(out, r.hash)
		}
	}
	return out
}

// sendPack enumerates the objects and streams the pack.
func (u *uploader) sendPack(w io.Writer) error {
	max := 0
	switch {
	case u.req.caps["side-band-64k"]:
		max = sideband64k
	case u.req.caps["side-band"]:
		max = sidebandOld
	}
	sb := newSidebandWriter(w, max)
	progress := !u.req.caps["no-progress"] && max > 0
	err := u.buildAndWrite(sb, progress)
	if err != nil && !errors.Is(err, context.Canceled) {
		_ = sb.band(3, "upload-pack: "+wiki.ErrorMessage(err)+"\n")
		return err
	}
	if err != nil {
		return err
	}
	if err := sb.Flush(); err != nil {
		return err
	}
	if max > 0 {
		_, err = io.WriteString(w, pktFlushLine)
	}
	return err
}

func (u *uploader) buildAndWrite(sb *sidebandWriter, progress bool) error {
	say := func(format string, args ...any) {
		if progress {
			_ = sb.band(2, fmt.Sprintf(format, args...))
		}
	}
	last := time.Now()
	walk := &gitpack.ObjectWalk{Ctx: u.ctx, Graph: u.g, Store: u.st, Progress: func(n int) {
		if time.Since(last) >= time.Second {
			last = time.Now()
			say("Enumerating objects: %d\r", n)
		}
	}}
	if err := u.enumerate(walk); err != nil {
		return err
	}
	if u.req.caps["include-tag"] {
		if err := u.includeTags(walk.Send); err != nil {
			return err
		}
	}
	say("Enumerating objects: %d, done.\n", len(walk.Send.List))
	pw := &gitpack.PackWriter{Ctx: u.ctx, Store: u.st, Out: sb, Send: walk.Send, Theirs: walk.Theirs,
		OfsDelta: u.req.caps["ofs-delta"], Thin: u.req.caps["thin-pack"]}
	if err := pw.Write(); err != nil {
		return err
	}
	s := pw.Stats
	say("Total %d (delta %d), reused %d (delta %d), pack-reused 0\n", s.Total, s.Deltas, s.Reused, s.ReusedDeltas)
	return nil
}

// enumerate lists the objects to send. A request for everything (a clone:
// no common haves, no shallow boundary on either side) is answered from
// the repository's reachability record when it has one for these wants.
func (u *uploader) enumerate(walk *gitpack.ObjectWalk) error {
	haves := append(append([]plumbing.Hash(nil), u.neg.haveObjs...), u.extraEdges...)
	full := len(haves) == 0 && len(u.req.shallows) == 0 && len(u.g.Shallow) == 0 &&
		u.req.depth == 0 && !u.req.deepenByRevList()
	if !full {
		return walk.Enumerate(u.wants, haves)
	}
	_, err := walk.EnumerateAll(u.wants)
	return err
}

// includeTags adds the annotated tags whose target is in the pack, so that
// the client's tag auto-following finds them (include-tag).
func (u *uploader) includeTags(send *gitpack.ObjSet) error {
	for _, r := range u.refs.refs {
		if !r.isTag || len(r.name) < 10 || r.name[:10] != "refs/tags/" || send.Has(r.hash) || !send.Has(r.peeled) {
			continue
		}
		h := r.hash
		for range gitpack.MaxTagChain {
			send.Add(h)
			typ, data, err := u.st.Read(h)
			if err != nil {
				return err
			}
			target, ok := gitpack.TagObjectTarget(data)
			if typ != gitpack.ObjTag || !ok {
				break
			}
			if t, err := u.st.TypeOf(target); err != nil || t != gitpack.ObjTag {
				break
			}
			h = target
		}
	}
	return nil
}

func dedupeOIDs(hs []plumbing.Hash) []plumbing.Hash {
	seen := map[plumbing.Hash]bool{}
	out := hs[:0:0]
	for _, h := range hs {
		if !seen[h] {
			seen[h] = true
			out = append(out, h)
		}
	}
	return out
}
