package gitpack

import (
	"github.com/warren-wiki/warren/wiki"
)

// A tree entry whose name can hurt a client checking the repository out
// (".", "..", ".git" in any disguise; wiki.CheckPathComponent) is refused
// while the pack streams in, as soon as the tree holding it arrives whole,
// rather than after the whole pack was received and indexed. Trees sent as
// deltas are checked after indexing, by the push's tree walk.

// treeNameCheck parses a tree object's entries as its bytes stream past
// and remembers the first harmful name.
type treeNameCheck struct {
	state int // 0: mode, 1: name, 2: object id
	name  []byte
	idN   int
	bad   error
}

// Write implements io.Writer; it never fails, so the hash beside it sees
// every byte. Malformed trees are left to the full check.
func (c *treeNameCheck) Write(p []byte) (int, error) {
	for _, b := range p {
		if c.bad != nil {
			break
		}
		switch c.state {
		case 0:
			if b == ' ' {
				c.state, c.name = 1, c.name[:0]
			}
		case 1:
			if b == 0 {
				c.state, c.idN = 2, 0
				if err := wiki.CheckPathComponent(string(c.name)); err != nil {
					c.bad = unpackErrorf("path not allowed: %q: %s", string(c.name), wiki.ErrorMessage(err))
				}
				continue
			}
			if len(c.name) < 4096 {
				c.name = append(c.name, b)
			}
		case 2:
			if c.idN++; c.idN == 20 {
				c.state = 0
			}
		}
	}
	return len(p), nil
}
