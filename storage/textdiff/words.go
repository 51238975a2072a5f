package textdiff

import (
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Span is a piece of a changed line; Changed marks what differs from the
// line it is paired with on the other side of the diff.
type Span struct {
	Text    string
	Changed bool
}

// maxWordLine bounds the lines compared word by word: past it a changed
// line is shown whole, as diffing two huge lines word by word buys nothing.
const maxWordLine = 4000

// Words compares two versions of one line word by word (a word is a run of
// letters and digits, a run of spaces, or one other character) and returns
// each side as spans, the words only it has marked Changed. ok is false
// when the lines are too long or share no word, where highlighting words
// would only add noise.
func Words(a, b string) (sa, sb []Span, ok bool) {
	if len(a) > maxWordLine || len(b) > maxWordLine {
		return nil, nil, false
	}
	ta, tb := tokens(a), tokens(b)
	ids := map[string]rune{}
	ra, rb := runesOf(ta, ids), runesOf(tb, ids)
	if ra == nil || rb == nil {
		return nil, nil, false
	}
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = diffTimeout
	i, j, same := 0, 0, 0
	for _, d := range dmp.DiffMainRunes(ra, rb, false) {
		n := len([]rune(d.Text))
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			sa = appendSpan(sa, join(ta[i:i+n]), false)
			sb = appendSpan(sb, join(tb[j:j+n]), false)
			i, j, same = i+n, j+n, same+n
		case diffmatchpatch.DiffDelete:
			sa = appendSpan(sa, join(ta[i:i+n]), true)
			i += n
		case diffmatchpatch.DiffInsert:
			sb = appendSpan(sb, join(tb[j:j+n]), true)
			j += n
		}
	}
	return sa, sb, same > 0
}

// tokens splits a line into words, space runs and single other characters.
func tokens(s string) []string {
	var out []string
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		n := size
		switch {
		case isWord(r):
			n = runLen(s, isWord)
		case unicode.IsSpace(r):
			n = runLen(s, unicode.IsSpace)
		}
		out = append(out, s[:n])
		s = s[n:]
	}
	return out
}

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' }

// runLen is the byte length of the run of runes at the start of s that f accepts.
func runLen(s string, f func(rune) bool) int {
	n := 0
	for _, r := range s {
		if !f(r) {
			break
		}
		n += utf8.RuneLen(r)
	}
	return n
}

// runesOf interns tokens as runes for go-diff; nil past the rune space.
func runesOf(toks []string, ids map[string]rune) []rune {
	rs := make([]rune, len(toks))
	for i, t := range toks {
		id, ok := ids[t]
		if !ok {
			id = rune(len(ids))
			if id >= 0xD800 {
				id += 0x800
			}
			if id > 0x10FFFF {
				return nil
			}
			ids[t] = id
		}
		rs[i] = id
	}
	return rs
}

func join(toks []string) string {
	n := 0
	for _, t := range toks {
		n += len(t)
	}
	b := make([]byte, 0, n)
	for _, t := range toks {
		b = append(b, t...)
	}
	return string(b)
}

// appendSpan adds text, merging it into the last span of the same kind.
func appendSpan(spans []Span, text string, changed bool) []Span {
	if text == "" {
		return spans
	}
	if k := len(spans) - 1; k >= 0 && spans[k].Changed == changed {
		spans[k].Text += text
		return spans
	}
	return append(spans, Span{Text: text, Changed: changed})
}
