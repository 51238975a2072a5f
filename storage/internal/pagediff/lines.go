package pagediff

import (
	"bytes"
	"unicode/utf8"

	"github.com/warren-wiki/warren/storage/textdiff"
	"github.com/warren-wiki/warren/wiki"
)

// Lines is the line diff of a and b in the domain's terms: every line
// numbered on its side(s), and in each run of removed lines followed by
// added ones, the k-th removed and k-th added line compared word by word.
func Lines(a, b []byte) []wiki.DiffLine {
	lines := textdiff.DiffLines(a, b)
	out := make([]wiki.DiffLine, len(lines))
	oldN, newN := 0, 0
	for i, l := range lines {
		d := wiki.DiffLine{Op: l.Op, Text: l.Text}
		if l.Op != '+' {
			oldN++
			d.Old = oldN
		}
		if l.Op != '-' {
			newN++
			d.New = newN
		}
		out[i] = d
	}
	markWords(out)
	return out
}

// markWords pairs the removed and added lines of each changed block and
// sets their word spans.
func markWords(lines []wiki.DiffLine) {
	for i := 0; i < len(lines); {
		if lines[i].Op != '-' {
			i++
			continue
		}
		del := i
		for i < len(lines) && lines[i].Op == '-' {
			i++
		}
		add := i
		for i < len(lines) && lines[i].Op == '+' {
			i++
		}
		for k := 0; del+k < add && add+k < i; k++ {
			a, b := &lines[del+k], &lines[add+k]
			if sa, sb, ok := textdiff.Words(a.Text, b.Text); ok {
				a.Spans, b.Spans = spans(sa), spans(sb)
			}
		}
	}
}

func spans(in []textdiff.Span) []wiki.DiffSpan {
	out := make([]wiki.DiffSpan, len(in))
	for i, s := range in {
		out[i] = wiki.DiffSpan{Text: s.Text, Changed: s.Changed}
	}
	return out
}

// Counts counts the added and removed lines of a diff.
func Counts(lines []wiki.DiffLine) (added, removed int) {
	return countOps(lines, func(l wiki.DiffLine) byte { return l.Op })
}

// FileCounts counts the added and removed lines between two texts, without
// the word marks Lines computes.
func FileCounts(a, b []byte) (added, removed int) {
	return countOps(textdiff.DiffLines(a, b), func(l textdiff.Line) byte { return l.Op })
}

// countOps counts the lines whose op is '+' and '-'.
func countOps[L any](lines []L, op func(L) byte) (added, removed int) {
	for _, l := range lines {
		switch op(l) {
		case '+':
			added++
		case '-':
			removed++
		}
	}
	return added, removed
}

// MaxBytes is the biggest file shown (and merged) as lines.
const MaxBytes = 1 << 20

// IsText reports whether content can be shown as lines: valid UTF-8
// without NUL bytes and not too big to diff.
func IsText(b []byte) bool {
	return len(b) <= MaxBytes && bytes.IndexByte(b, 0) < 0 && utf8.Valid(b)
}
