package storage

import (
	"github.com/warren-wiki/warren/storage/textdiff"
	"github.com/warren-wiki/warren/wiki"
)

// diffLines is the line diff of a and b in the domain's terms: every line
// numbered on its side(s), and in each run of removed lines followed by
// added ones, the k-th removed and k-th added line compared word by word.
func diffLines(a, b []byte) []wiki.DiffLine {
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

// diffCounts counts the added and removed lines of a diff.
func diffCounts(lines []wiki.DiffLine) (added, removed int) {
	for _, l := range lines {
		switch l.Op {
		case '+':
			added++
		case '-':
			removed++
		}
	}
	return added, removed
}
