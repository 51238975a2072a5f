package pagediff

import (
	"bytes"

	"github.com/warren-wiki/warren/storage/textdiff"
	"github.com/warren-wiki/warren/wiki"
)

// Side is one version of a file: absent (OK false), or its content.
type Side struct {
	OK   bool
	Text []byte
}

// Same reports whether two versions are equal (both absent, or the same
// bytes).
func (a Side) Same(b Side) bool { return a.OK == b.OK && bytes.Equal(a.Text, b.Text) }

// RevertMerge merges one file for a revert — base as the commit left it,
// ours as it is now, theirs as it was before the commit: unchanged since
// the commit → as before it; already as before it → kept; text on all
// three sides → merged by lines; anything else is ECONFLICT.
func RevertMerge(file string, base, ours, theirs Side) (Side, error) {
	switch {
	case ours.Same(theirs):
		return ours, nil
	case ours.Same(base):
		return theirs, nil
	case base.OK && ours.OK && theirs.OK && IsText(base.Text) && IsText(ours.Text) && IsText(theirs.Text):
		if merged, clean := textdiff.Merge3(base.Text, ours.Text, theirs.Text); clean {
			return Side{OK: true, Text: merged}, nil
		}
	}
	return Side{}, wiki.Errorf(wiki.ECONFLICT,
		"%s changed since that commit in a way that overlaps it; nothing was reverted", file)
}
