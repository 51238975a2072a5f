package gitproto

import (
	"io"

	"github.com/warren-wiki/warren/storage/gitpack"
	"github.com/warren-wiki/warren/wiki"
)

// LimitReader is the one limit on a git request body: a read that would go
// past limit bytes fails with ETOOLARGE, so a service stops on an oversize
// (decompressed) body instead of reading it all, and the excess never
// reaches the disk.
type LimitReader struct {
	r     io.Reader
	left  int64
	limit int64
	what  string
}

// NewLimitReader limits r to limit bytes; what names the body in the error
// ("the push", "the request body").
func NewLimitReader(r io.Reader, limit int64, what string) *LimitReader {
	if l, ok := r.(*LimitReader); ok && l.left <= limit {
		return l // already held to this limit or less
	}
	return &LimitReader{r: r, left: limit, limit: limit, what: what}
}

// Read reads at most the bytes left under the limit.
func (l *LimitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// One more byte tells a body of exactly limit bytes from a longer one.
		var one [1]byte
		if n, err := l.r.Read(one[:]); n == 0 {
			return 0, err
		}
		return 0, wiki.Errorf(wiki.ETOOLARGE, "%s is larger than the limit of %s", l.what, gitpack.ByteSize(l.limit))
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// drain discards the rest of an oversize request, up to maxDrain, so the
// client reads the refusal instead of a reset connection.
func (l *LimitReader) drain() {
	io.Copy(io.Discard, io.LimitReader(l.r, maxDrain))
}

// maxDrain bounds how much of an oversize push is read and dropped.
const maxDrain = 256 << 20
