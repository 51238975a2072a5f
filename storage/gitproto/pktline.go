package gitproto

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/warren-wiki/warren/wiki"
)

// pkt-line framing (gitprotocol-common): four hex digits give the length of
// the line including themselves; "0000" is a flush. The largest line is
// 65520 bytes, so a side-band-64k data line carries at most 65515 bytes.
const (
	pktMax       = 65520
	pktMaxData   = pktMax - 4
	sideband64k  = pktMaxData - 1
	sidebandOld  = 1000 - 4 - 1
	pktFlushLine = "0000"
)

// pktKind tells a data line from the framing lines.
type pktKind int

const (
	pktData pktKind = iota
	pktFlush
	pktEOF // the body ended cleanly between lines
)

// pktReader reads one client request line by line. Anything that is not a
// well-formed pkt-line is EINVALID, so a garbled request is refused before
// a byte of answer is written.
type pktReader struct {
	r   *bufio.Reader
	buf [pktMax]byte
}

func newPktReader(r io.Reader) *pktReader {
	return &pktReader{r: bufio.NewReaderSize(r, 64<<10)}
}

// next returns the next line without its trailing LF. The slice is valid
// until the following call.
func (p *pktReader) next() (pktKind, []byte, error) {
	var hdr [4]byte
	n, err := io.ReadFull(p.r, hdr[:])
	if n == 0 && errors.Is(err, io.EOF) {
		return pktEOF, nil, nil
	}
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return 0, nil, wiki.Errorf(wiki.EINVALID, "protocol error: truncated pkt-line length")
		}
		return 0, nil, err
	}
	size, ok := parsePktLen(hdr[:])
	switch {
	case !ok:
		return 0, nil, wiki.Errorf(wiki.EINVALID, "protocol error: bad line length character: %q", hdr[:])
	case size == 0:
		return pktFlush, nil, nil
	case size < 4 || size > pktMax:
		return 0, nil, wiki.Errorf(wiki.EINVALID, "protocol error: bad line length %d", size)
	}
	line := p.buf[:size-4]
	if _, err := io.ReadFull(p.r, line); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return 0, nil, wiki.Errorf(wiki.EINVALID, "protocol error: pkt-line cut short")
		}
		return 0, nil, err
	}
	if len(line) > 0 && line[len(line)-1] == '\n' {
		line = line[:len(line)-1]
	}
	return pktData, line, nil
}

func parsePktLen(h []byte) (int, bool) {
	v := 0
	for _, c := range h {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		v = v<<4 | int(d)
	}
	return v, true
}

// appendPkt frames payload as one pkt-line.
func appendPkt(dst []byte, payload string) []byte {
	dst = fmt.Appendf(dst, "%04x", len(payload)+4)
	return append(dst, payload...)
}

// pktBuf collects short protocol lines (ACK/NAK, shallow) so that they
// leave in one write.
type pktBuf struct{ b []byte }

func (p *pktBuf) line(format string, args ...any) {
	p.b = appendPkt(p.b, fmt.Sprintf(format, args...))
}

func (p *pktBuf) flush() { p.b = append(p.b, pktFlushLine...) }

func (p *pktBuf) writeTo(w io.Writer) error {
	if len(p.b) == 0 {
		return nil
	}
	_, err := w.Write(p.b)
	p.b = p.b[:0]
	return err
}

// sidebandWriter multiplexes a stream into band 1 pkt-lines of at most max
// data bytes, buffering so that each line is as large as allowed. Progress
// (band 2) and fatal errors (band 3) go out at once. With max == 0 the
// stream is written raw (a client without side-band).
type sidebandWriter struct {
	w   io.Writer
	max int
	buf []byte // pkt header + band byte + data
}

func newSidebandWriter(w io.Writer, max int) *sidebandWriter {
	s := &sidebandWriter{w: w, max: max}
	if max > 0 {
		s.buf = make([]byte, 5, 5+max)
	}
	return s
}

func (s *sidebandWriter) Write(p []byte) (int, error) {
	if s.max == 0 {
		return s.w.Write(p)
	}
	n := len(p)
	for len(p) > 0 {
		room := s.max - (len(s.buf) - 5)
		if room > len(p) {
			room = len(p)
		}
		s.buf = append(s.buf, p[:room]...)
		p = p[room:]
		if len(s.buf)-5 == s.max {
			if err := s.Flush(); err != nil {
				return 0, err
			}
		}
	}
	return n, nil
}

// Flush sends the buffered band 1 data, if any.
func (s *sidebandWriter) Flush() error {
	if s.max == 0 || len(s.buf) == 5 {
		return nil
	}
	copy(s.buf, fmt.Sprintf("%04x\x01", len(s.buf)))
	_, err := s.w.Write(s.buf)
	s.buf = s.buf[:5]
	return err
}

// band writes msg on band 2 (progress) or 3 (fatal error), after whatever
// band 1 data is pending.
func (s *sidebandWriter) band(b byte, msg string) error {
	if s.max == 0 {
		return nil
	}
	if err := s.Flush(); err != nil {
		return err
	}
	var out []byte
	for len(msg) > 0 {
		chunk := msg
		if len(chunk) > s.max {
			chunk = chunk[:s.max]
		}
		msg = msg[len(chunk):]
		out = appendPkt(out, string([]byte{b})+chunk)
	}
	_, err := s.w.Write(out)
	return err
}
