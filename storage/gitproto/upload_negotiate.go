package gitproto

import (
	"errors"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/warren-wiki/warren/storage/gitpack"
)

// ackMode is the acknowledgement style the client chose.
type ackMode int

const (
	ackSingle ackMode = iota
	ackMulti
	ackDetailed
)

// negotiation is the "have" side of one request: which of the client's
// objects we have, and whether every want now reaches one of them.
type negotiation struct {
	g          *gitpack.WalkGraph
	wants      []plumbing.Hash
	haveObjs   []plumbing.Hash        // common haves, in the client's order
	theyHave   map[plumbing.Hash]bool // non-commit objects flagged as theirs
	oldestHave int64                  // committer date of the oldest common commit
	readyMemo  map[plumbing.Hash]bool // want → reaches a have, reset when haves grow
	peeled     map[plumbing.Hash]*gitpack.WalkCommit
}

// negotiate answers the have lines of one stateless round the way git's
// upload-pack does (get_common_commits): "ACK id common" for each have we
// hold, "ACK id ready" once every want reaches a common commit, "NAK" at the
// end of the round, and after "done" (or "ready" with no-done) a final ACK
// and the pack. It reports whether the pack follows.
func (u *uploader) negotiate(out *pktBuf) (bool, error) {
	mode := ackSingle
	if u.req.caps["multi_ack_detailed"] {
		mode = ackDetailed
	} else if u.req.caps["multi_ack"] {
		mode = ackMulti
	}
	ng := u.neg
	var last plumbing.Hash
	gotCommon, gotOther, sentReady := false, false, false
	for _, h := range u.req.haves {
		if !u.st.Has(h) {
			gotOther = true
			if mode != ackSingle {
				ready, err := ng.okToGiveUp()
				if err != nil {
					return false, err
				}
				if ready && mode == ackDetailed {
					sentReady = true
					out.line("ACK %s ready\n", h)
				} else if ready {
					out.line("ACK %s continue\n", h)
				}
			}
			continue
		}
		if err := ng.gotOID(h); err != nil {
			return false, err
		}
		gotCommon, last = true, h
		switch {
		case mode == ackDetailed:
			out.line("ACK %s common\n", h)
		case mode == ackMulti:
			out.line("ACK %s continue\n", h)
		case len(ng.haveObjs) == 1:
			out.line("ACK %s\n", h)
		}
	}
	if u.req.done {
		if len(ng.haveObjs) > 0 {
			if mode != ackSingle {
				out.line("ACK %s\n", last)
			}
		} else {
			out.line("NAK\n")
		}
		return true, nil
	}
	if mode == ackDetailed && gotCommon && !gotOther {
		ready, err := ng.okToGiveUp()
		if err != nil {
			return false, err
		}
		if ready {
			sentReady = true
			out.line("ACK %s ready\n", last)
		}
	}
	if len(ng.haveObjs) == 0 || mode != ackSingle {
		out.line("NAK\n")
	}
	if u.req.caps["no-done"] && sentReady {
		out.line("ACK %s\n", last)
		return true, nil
	}
	return false, nil
}

// gotOID records a have we hold: it and (for a commit) its parents are
// flagged as the client's.
func (ng *negotiation) gotOID(h plumbing.Hash) error {
	n, err := ng.g.Get(h)
	if errors.Is(err, gitpack.ErrNotCommit) {
		if !ng.theyHave[h] {
			ng.theyHave[h] = true
			ng.haveObjs = append(ng.haveObjs, h)
			ng.readyMemo = nil
		}
		return nil
	}
	if err != nil {
		return err
	}
	if ng.oldestHave == 0 || n.Date < ng.oldestHave {
		ng.oldestHave = n.Date
	}
	for _, p := range ng.g.Parents(n) {
		ng.g.Node(p).Flags |= gitpack.WfTheyHave
	}
	if n.Flags&gitpack.WfTheyHave == 0 {
		n.Flags |= gitpack.WfTheyHave
		ng.haveObjs = append(ng.haveObjs, h)
	}
	ng.readyMemo = nil
	return nil
}

// okToGiveUp reports whether every want reaches a commit the client has,
// looking no further back than the oldest common commit
// (can_all_from_reach_with_flag in git).
func (ng *negotiation) okToGiveUp() (bool, error) {
	if len(ng.haveObjs) == 0 {
		return false, nil
	}
	if ng.readyMemo == nil {
		ng.readyMemo = map[plumbing.Hash]bool{}
	}
	for _, w := range ng.wants {
		ok, memo := ng.readyMemo[w]
		if !memo {
			var err error
			if ok, err = ng.reachesHave(w); err != nil {
				return false, err
			}
			ng.readyMemo[w] = ok
		}
		if !ok {
			return false, nil
		}
	}
	return true, nil
}

func (ng *negotiation) reachesHave(want plumbing.Hash) (bool, error) {
	start, ok := ng.peeled[want]
	if !ok {
		return true, nil // not a commit: nothing to decide by ancestry
	}
	seen := map[plumbing.Hash]bool{start.Hash: true}
	stack := []*gitpack.WalkCommit{start}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n.Flags&gitpack.WfTheyHave != 0 {
			return true, nil
		}
		for _, ph := range ng.g.Parents(n) {
			if seen[ph] {
				continue
			}
			seen[ph] = true
			p, err := ng.g.MustGet(ph)
			if err != nil {
				return false, err
			}
			if p.Flags&gitpack.WfTheyHave != 0 {
				return true, nil
			}
			if p.Date >= ng.oldestHave {
				stack = append(stack, p)
			}
		}
	}
	return false, nil
}
