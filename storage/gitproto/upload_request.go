package gitproto

import (
	"bytes"
	"io"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/warren-wiki/warren/storage/gitpack"
	"github.com/warren-wiki/warren/wiki"
)

// infiniteDepth is what `git fetch --unshallow` sends as its depth.
const infiniteDepth = 0x7fffffff

// uploadRequest is one stateless-rpc upload-pack request, parsed whole
// before anything is answered, so that a malformed one is refused (400)
// without a partial reply.
type uploadRequest struct {
	wants    []plumbing.Hash
	caps     map[string]bool // capability words the client asked for
	shallows []plumbing.Hash // commits the client has without their parents

	depth          int
	deepenSince    int64
	deepenNot      []string
	deepenRelative bool

	// haveSection is false when the body ended right after the wants: the
	// first round of a shallow fetch, which only asks for the shallow list.
	haveSection bool
	haves       []plumbing.Hash
	done        bool
}

// deepenByRevList reports a deepen-since or deepen-not request.
func (r *uploadRequest) deepenByRevList() bool { return r.deepenSince != 0 || len(r.deepenNot) > 0 }

// parseUploadRequest reads want/shallow/deepen lines up to a flush, then
// have lines up to a flush or "done". Unknown capabilities are ignored,
// as git does; anything else unexpected is EINVALID.
func parseUploadRequest(body io.Reader) (*uploadRequest, error) {
	pr := newPktReader(body)
	req := &uploadRequest{caps: map[string]bool{}}
	for {
		kind, line, err := pr.next()
		if err != nil {
			return nil, err
		}
		if kind == pktEOF {
			if len(req.wants) == 0 {
				return req, nil // an empty body asks for nothing
			}
			return nil, wiki.Errorf(wiki.EINVALID, "protocol error: request ended before the flush after the wants")
		}
		if kind == pktFlush {
			break
		}
		if err := req.wantLine(line); err != nil {
			return nil, err
		}
	}
	if req.depth > 0 && req.deepenByRevList() {
		return nil, wiki.Errorf(wiki.EINVALID, "deepen and deepen-since (or deepen-not) cannot be used together")
	}
	for {
		kind, line, err := pr.next()
		if err != nil {
			return nil, err
		}
		switch {
		case kind == pktEOF && req.haveSection:
			return nil, wiki.Errorf(wiki.EINVALID, "protocol error: have list ended without flush or done")
		case kind == pktEOF:
			return req, nil
		case kind == pktFlush:
			req.haveSection = true
			return req, nil
		case string(line) == "done":
			req.haveSection, req.done = true, true
			return req, nil
		}
		req.haveSection = true
		hex, ok := bytes.CutPrefix(line, []byte("have "))
		h, valid := gitpack.ParseOID(string(hex))
		if !ok || !valid {
			return nil, wiki.Errorf(wiki.EINVALID, "protocol error: expected SHA1 list, got %q", clipLine(line))
		}
		req.haves = append(req.haves, h)
	}
}

// wantLine handles one line of the first section.
func (r *uploadRequest) wantLine(line []byte) error {
	s := string(line)
	switch {
	case strings.HasPrefix(s, "shallow "):
		h, ok := gitpack.ParseOID(s[len("shallow "):])
		if !ok {
			return wiki.Errorf(wiki.EINVALID, "protocol error: invalid shallow line %q", clipLine(line))
		}
		r.shallows = append(r.shallows, h)
		return nil
	case strings.HasPrefix(s, "deepen "):
		n, err := strconv.Atoi(s[len("deepen "):])
		if err != nil || n <= 0 {
			return wiki.Errorf(wiki.EINVALID, "protocol error: invalid deepen %q", clipLine(line))
		}
		r.depth = n
		return nil
	case strings.HasPrefix(s, "deepen-since "):
		t, err := strconv.ParseInt(s[len("deepen-since "):], 10, 64)
		if err != nil || t <= 0 {
			return wiki.Errorf(wiki.EINVALID, "protocol error: invalid deepen-since %q", clipLine(line))
		}
		r.deepenSince = t
		return nil
	case strings.HasPrefix(s, "deepen-not "):
		ref := s[len("deepen-not "):]
		if ref == "" {
			return wiki.Errorf(wiki.EINVALID, "protocol error: empty deepen-not")
		}
		r.deepenNot = append(r.deepenNot, ref)
		return nil
	case strings.HasPrefix(s, "filter "):
		return wiki.Errorf(wiki.EINVALID, "filtering capability not negotiated")
	case strings.HasPrefix(s, "want "):
	default:
		return wiki.Errorf(wiki.EINVALID, "protocol error: expected to get object ID, not %q", clipLine(line))
	}
	rest := s[len("want "):]
	hex, caps, _ := strings.Cut(rest, " ")
	h, ok := gitpack.ParseOID(hex)
	if !ok {
		return wiki.Errorf(wiki.EINVALID, "protocol error: expected to get object ID, not %q", clipLine(line))
	}
	for _, c := range strings.Fields(caps) {
		r.caps[c] = true
		if c == "deepen-relative" {
			r.deepenRelative = true
		}
	}
	r.wants = append(r.wants, h)
	return nil
}

// clip shortens a client line for an error message.
func clipLine(b []byte) string {
	if len(b) > 80 {
		return string(b[:80]) + "…"
	}
	return string(b)
}
