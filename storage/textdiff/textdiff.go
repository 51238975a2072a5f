package textdiff

import (
	"bytes"
	"strings"
	"time"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Line diffs and three-way merges of page text. Lines are compared whole,
// each with its own "\n" (a last line without one differs from the same line
// with one, as in git). The diff itself is go-diff's Myers implementation
// run over lines interned as runes.

// diffTimeout bounds one diff; past it go-diff returns a coarser (still
// correct) diff. Only pathological multi-megabyte pages get near it.
const diffTimeout = 2 * time.Second

// Line is one line of a diff: Op is ' ' (in both), '-' (only in the old
// text) or '+' (only in the new), Text the line without its end of line.
type Line struct {
	Op   byte
	Text string
}

// DiffLines returns the line diff turning a into b: every line of both, in
// order, marked ' ' (in both), '-' (only in a) or '+' (only in b). Text
// excludes the line's end of line.
func DiffLines(a, b []byte) []Line {
	la, lb := splitLines(a), splitLines(b)
	var out []Line
	add := func(op byte, lines []string) {
		for _, l := range lines {
			out = append(out, Line{Op: op, Text: strings.TrimSuffix(strings.TrimSuffix(l, "\n"), "\r")})
		}
	}
	i, j := 0, 0
	for _, d := range lineDiff(la, lb) {
		switch d.op {
		case diffmatchpatch.DiffEqual:
			add(' ', la[i:i+d.n])
			i, j = i+d.n, j+d.n
		case diffmatchpatch.DiffDelete:
			add('-', la[i:i+d.n])
			i += d.n
		case diffmatchpatch.DiffInsert:
			add('+', lb[j:j+d.n])
			j += d.n
		}
	}
	return out
}

// Merge3 merges two texts that both started from base, by lines, as diff3
// and git do: where only one side changed a region its change is taken,
// where both made the same change it is taken once, and where both changed
// the same or adjacent lines differently the merge is not clean. merged then
// holds git-style conflict markers (ours first), for showing, never saving.
func Merge3(base, ours, theirs []byte) (merged []byte, clean bool) {
	lb, lo, lt := splitLines(base), splitLines(ours), splitLines(theirs)
	mo, mt := matchLines(lb, lo), matchLines(lb, lt)
	var out bytes.Buffer
	clean = true
	bi, oi, ti := 0, 0, 0
	for {
		k := 0
		for bi+k < len(lb) && mo[bi+k] == oi+k && mt[bi+k] == ti+k {
			k++
		}
		if k > 0 {
			writeLines(&out, lb[bi:bi+k])
			bi, oi, ti = bi+k, oi+k, ti+k
			continue
		}
		if bi == len(lb) && oi == len(lo) && ti == len(lt) {
			break
		}
		// An unstable region: up to the next base line both sides kept.
		next := bi
		for next < len(lb) && (mo[next] < 0 || mt[next] < 0) {
			next++
		}
		jo, jt := len(lo), len(lt)
		if next < len(lb) {
			jo, jt = mo[next], mt[next]
		}
		b, o, t := lb[bi:next], lo[oi:jo], lt[ti:jt]
		switch {
		case equalLines(o, b):
			writeLines(&out, t)
		case equalLines(t, b), equalLines(o, t):
			writeLines(&out, o)
		default:
			clean = false
			writeConflict(&out, o, t)
		}
		bi, oi, ti = next, jo, jt
	}
	return out.Bytes(), clean
}

func writeLines(w *bytes.Buffer, lines []string) {
	for _, l := range lines {
		w.WriteString(l)
	}
}

func writeConflict(w *bytes.Buffer, ours, theirs []string) {
	endLine := func() {
		if w.Len() > 0 && w.Bytes()[w.Len()-1] != '\n' {
			w.WriteByte('\n')
		}
	}
	endLine()
	w.WriteString("<<<<<<< ours\n")
	writeLines(w, ours)
	endLine()
	w.WriteString("=======\n")
	writeLines(w, theirs)
	endLine()
	w.WriteString(">>>>>>> theirs\n")
}

func equalLines(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// splitLines splits text after each "\n"; a last line without one is kept.
func splitLines(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	lines := strings.SplitAfter(string(b), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// matchLines maps each line of base to the line of other it is kept as in
// the diff between them, or -1 where it was deleted or changed.
func matchLines(base, other []string) []int {
	m := make([]int, len(base))
	i, j := 0, 0
	for _, d := range lineDiff(base, other) {
		switch d.op {
		case diffmatchpatch.DiffEqual:
			for k := range d.n {
				m[i+k] = j + k
			}
			i, j = i+d.n, j+d.n
		case diffmatchpatch.DiffDelete:
			for k := range d.n {
				m[i+k] = -1
			}
			i += d.n
		case diffmatchpatch.DiffInsert:
			j += d.n
		}
	}
	return m
}

// lineRun is a run of n lines that are equal, deleted or inserted.
type lineRun struct {
	op diffmatchpatch.Operation
	n  int
}

// lineDiff diffs two line lists. Each distinct line becomes one rune (the
// surrogate range skipped, so the runes survive go-diff's string
// conversions) and go-diff diffs the rune strings.
func lineDiff(a, b []string) []lineRun {
	ids := map[string]rune{}
	toRunes := func(lines []string) ([]rune, bool) {
		rs := make([]rune, len(lines))
		for i, l := range lines {
			id, ok := ids[l]
			if !ok {
				id = rune(len(ids))
				if id >= 0xD800 {
					id += 0x800
				}
				if id > 0x10FFFF {
					return nil, false
				}
				ids[l] = id
			}
			rs[i] = id
		}
		return rs, true
	}
	ra, okA := toRunes(a)
	rb, okB := toRunes(b)
	if !okA || !okB { // over a million distinct lines: replace all
		return []lineRun{{diffmatchpatch.DiffDelete, len(a)}, {diffmatchpatch.DiffInsert, len(b)}}
	}
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = diffTimeout
	var runs []lineRun
	for _, d := range dmp.DiffMainRunes(ra, rb, false) {
		if n := len([]rune(d.Text)); n > 0 {
			runs = append(runs, lineRun{d.Type, n})
		}
	}
	return runs
}

// SplitLines splits text after each "\n" (a last line without one is
// kept), the lines DiffLines and KeptLines count.
func SplitLines(b []byte) []string { return splitLines(b) }

// KeptLines maps each line of newer to the line of older it is kept from
// in the diff from older to newer (the direction git blame diffs in), or
// to -1 where newer added or changed it.
func KeptLines(newer, older []byte) []int {
	ln, lo := splitLines(newer), splitLines(older)
	m := make([]int, len(ln))
	i, j := 0, 0 // i in older, j in newer
	for _, d := range lineDiff(lo, ln) {
		switch d.op {
		case diffmatchpatch.DiffEqual:
			for k := range d.n {
				m[j+k] = i + k
			}
			i, j = i+d.n, j+d.n
		case diffmatchpatch.DiffDelete:
			i += d.n
		case diffmatchpatch.DiffInsert:
			for k := range d.n {
				m[j+k] = -1
			}
			j += d.n
		}
	}
	return m
}
