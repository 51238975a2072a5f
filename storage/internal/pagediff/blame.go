package pagediff

import (
	"strings"

	"github.com/warren-wiki/warren/storage/textdiff"
	"github.com/warren-wiki/warren/wiki"
)

// Blame says, for each line of content, which commit last changed it, as
// git blame does: walking revs (the file's history, newest first) the lines
// a commit added are its own and every other line is handed on to the
// version before, which fileAt reads (empty where the file is absent).
func Blame(content []byte, revs []wiki.Revision, fileAt func(rev string) ([]byte, error)) ([]wiki.BlameLine, error) {
	texts := textdiff.SplitLines(content)
	out := make([]wiki.BlameLine, len(texts))
	for i, t := range texts {
		out[i] = wiki.BlameLine{Line: i + 1, Text: strings.TrimSuffix(strings.TrimSuffix(t, "\n"), "\r")}
	}
	// pos[i] is where line i of the page is in the version being examined,
	// or -1 once its commit is known.
	pos := make([]int, len(texts))
	for i := range pos {
		pos[i] = i
	}
	cur, left := content, len(texts)
	for k := 0; k < len(revs) && left > 0; k++ {
		var older []byte
		if k+1 < len(revs) {
			var err error
			if older, err = fileAt(revs[k+1].ID); err != nil {
				return nil, err
			}
		}
		keep := textdiff.KeptLines(cur, older) // line of cur → line of older, or -1
		for i, p := range pos {
			if p < 0 {
				continue
			}
			if k+1 < len(revs) && keep[p] >= 0 {
				pos[i] = keep[p]
				continue
			}
			setBlame(&out[i], revs[k])
			pos[i], left = -1, left-1
		}
		cur = older
	}
	return out, nil
}

func setBlame(l *wiki.BlameLine, r wiki.Revision) {
	subject, _, _ := strings.Cut(r.Message, "\n")
	l.Commit, l.Author, l.Time, l.Message = r.ID, r.Author, r.Time, subject
}
