package gitproto

import (
	"fmt"
	"io"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/warren-wiki/warren/storage/gitpack"
	"github.com/warren-wiki/warren/wiki"
)

// The wire format of one receive-pack request (git's pack-protocol, v0/v1,
// stateless-rpc): pkt-lines "<old> <new> <ref>", the first one followed by a
// NUL and the client's capabilities, a flush-pkt, then the pack unless every
// command is a delete. The answer is report-status pkt-lines, wrapped in
// side-band-64k band 1 when the client asked for it, with progress and
// messages on band 2.

// maxPushCommands bounds the ref updates one push may carry, so a request
// cannot make the server hold an unbounded command list.
const maxPushCommands = 10000

// pushCommand is one ref update the client asked for, and what became of it.
type pushCommand struct {
	old, new plumbing.Hash
	name     string
	reason   string // why it was refused; "" while it is still accepted
	moved    bool   // the ref was updated
	forced   bool   // an admin's update that rewrites history (receive_check.go)
}

func (c *pushCommand) isDelete() bool { return c.new.IsZero() }
func (c *pushCommand) isCreate() bool { return c.old.IsZero() }

// refuse records the first reason a command cannot be applied.
func (c *pushCommand) refuse(format string, args ...any) {
	if c.reason == "" {
		c.reason = oneLine(fmt.Sprintf(format, args...))
	}
}

// pushCaps are the capabilities the client asked for on its first command.
type pushCaps struct {
	reportStatus bool
	sideBand     int // largest band packet (0: no side-band)
	quiet        bool
	atomic       bool
}

// pushRequest is a parsed command list.
type pushRequest struct {
	cmds []*pushCommand
	caps pushCaps
}

// needsPack says whether a pack follows the commands: git sends none when
// every command is a delete.
func (p *pushRequest) needsPack() bool {
	for _, c := range p.cmds {
		if !c.isDelete() {
			return true
		}
	}
	return false
}

// errPktLine is the error of every malformed request, a client bug or an
// attack: the service refuses it before writing anything.
func errPktLine(format string, args ...any) error {
	return wiki.Errorf(wiki.EINVALID, "malformed receive-pack request: "+format, args...)
}

// readPushRequest parses the command list up to its flush-pkt. An empty
// request (a bare flush, as in git's probe) yields no commands.
func readPushRequest(r *pktReader) (*pushRequest, error) {
	req := &pushRequest{}
	seen := map[string]bool{}
	for first := true; ; {
		kind, line, err := r.next()
		if err != nil {
			return nil, err
		}
		switch kind {
		case pktFlush:
			return req, nil
		case pktEOF:
			if first {
				return req, nil
			}
			return nil, errPktLine("the request ends inside the command list")
		}
		s := string(line)
		if strings.HasPrefix(s, "shallow ") {
			// A shallow client names its boundary; the connectivity
			// check below refuses anything that really is missing.
			continue
		}
		if strings.HasPrefix(s, "push-cert") {
			return nil, errPktLine("signed pushes are not supported")
		}
		if first {
			var caps string
			s, caps, _ = strings.Cut(s, "\x00")
			if req.caps, err = parsePushCaps(caps); err != nil {
				return nil, err
			}
			first = false
		} else if strings.IndexByte(s, 0) >= 0 {
			return nil, errPktLine("capabilities after the first command")
		}
		cmd, err := parsePushCommand(s)
		if err != nil {
			return nil, err
		}
		if seen[cmd.name] {
			return nil, errPktLine("ref %s is updated twice", cmd.name)
		}
		seen[cmd.name] = true
		if req.cmds = append(req.cmds, cmd); len(req.cmds) > maxPushCommands {
			return nil, errPktLine("more than %d ref updates", maxPushCommands)
		}
	}
}

// parsePushCommand parses "<old-id> <new-id> <refname>".
func parsePushCommand(s string) (*pushCommand, error) {
	old, rest, ok1 := strings.Cut(s, " ")
	nw, name, ok2 := strings.Cut(rest, " ")
	if !ok1 || !ok2 || !gitpack.IsHexID(old) || !gitpack.IsHexID(nw) || name == "" {
		return nil, errPktLine("bad command %q", truncate(s, 100))
	}
	cmd := &pushCommand{old: plumbing.NewHash(old), new: plumbing.NewHash(nw), name: name}
	if cmd.old.IsZero() && cmd.new.IsZero() {
		return nil, errPktLine("command for %s neither creates nor deletes", truncate(name, 100))
	}
	return cmd, nil
}

// parsePushCaps reads the client's capability list. Capabilities warren
// does not advertise are ignored, as git does, except an object format other
// than SHA-1, which would make every id mean something else.
func parsePushCaps(s string) (pushCaps, error) {
	var c pushCaps
	for _, f := range strings.Fields(s) {
		switch {
		case f == "report-status":
			c.reportStatus = true
		case f == "side-band-64k":
			c.sideBand = sideband64k
		case f == "side-band" && c.sideBand == 0:
			c.sideBand = sidebandOld
		case f == "quiet":
			c.quiet = true
		case f == "atomic":
			c.atomic = true
		case strings.HasPrefix(f, "object-format=") && f != "object-format=sha1":
			return c, errPktLine("unsupported %s", f)
		}
	}
	return c, nil
}

// reporter writes the answer: report-status on band 1 (or bare), messages
// on band 2. It remembers the first write error so callers need not check
// every call.
type reporter struct {
	sb   *sidebandWriter
	caps pushCaps
	err  error
}

func newReporter(w io.Writer, caps pushCaps) *reporter {
	return &reporter{sb: newSidebandWriter(w, caps.sideBand), caps: caps}
}

// progress reports what the server is doing, unless the client asked for
// quiet.
func (r *reporter) progress(format string, args ...any) {
	if !r.caps.quiet {
		r.message(format, args...)
	}
}

// message tells the user something on band 2 ("remote: ..." in git); a
// client without side-band cannot show it.
func (r *reporter) message(format string, args ...any) {
	if r.err == nil {
		r.err = r.sb.band(2, "warren: "+fmt.Sprintf(format, args...)+"\n")
	}
}

// status sends report-status: the unpack result and one line per command.
func (r *reporter) status(unpackErr string, cmds []*pushCommand) {
	if !r.caps.reportStatus || r.err != nil {
		return
	}
	var b pktBuf
	if unpackErr == "" {
		b.line("unpack ok\n")
	} else {
		b.line("unpack %s\n", oneLine(unpackErr))
	}
	for _, c := range cmds {
		if c.reason == "" {
			b.line("ok %s\n", c.name)
		} else {
			b.line("ng %s %s\n", c.name, c.reason)
		}
	}
	b.flush()
	if _, r.err = r.sb.Write(b.b); r.err == nil {
		r.err = r.sb.Flush()
	}
}

// finish ends a side-band answer with its flush-pkt.
func (r *reporter) finish() error {
	if r.err == nil && r.caps.sideBand > 0 {
		_, r.err = r.sb.w.Write([]byte(pktFlushLine))
	}
	return r.err
}

// oneLine makes a reason fit a report-status line.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	return truncate(s, 400)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
