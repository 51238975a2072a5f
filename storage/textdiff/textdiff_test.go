package textdiff_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/storage/textdiff"
)

func TestMerge3(t *testing.T) {
	cases := []struct {
		name               string
		base, ours, theirs string
		want               string // merged text when clean
		clean              bool
	}{
		{"nothing changed", "a\nb\n", "a\nb\n", "a\nb\n", "a\nb\n", true},
		{"only ours", "a\nb\nc\n", "a\nB\nc\n", "a\nb\nc\n", "a\nB\nc\n", true},
		{"only theirs", "a\nb\nc\n", "a\nb\nc\n", "a\nb\nC\n", "a\nb\nC\n", true},
		{"separate lines", "a\nb\nc\nd\ne\n", "A\nb\nc\nd\ne\n", "a\nb\nc\nd\nE\n", "A\nb\nc\nd\nE\n", true},
		{"same edit both sides", "a\nb\nc\n", "a\nX\nc\n", "a\nX\nc\n", "a\nX\nc\n", true},
		{"same line differently", "a\nb\nc\n", "a\nX\nc\n", "a\nY\nc\n", "", false},
		{"adjacent lines", "a\nb\nc\nd\n", "a\nB\nc\nd\n", "a\nb\nC\nd\n", "", false},
		{"empty base, both add differently", "", "ours\n", "theirs\n", "", false},
		{"empty base, both add the same", "", "same\n", "same\n", "same\n", true},
		{"empty base, one adds", "", "", "new\n", "new\n", true},
		{"both append at end differently", "a\n", "a\nours\n", "a\ntheirs\n", "", false},
		{"both append the same at end", "a\n", "a\nz\n", "a\nz\n", "a\nz\n", true},
		{"append and edit top", "a\nb\nc\n", "A\nb\nc\n", "a\nb\nc\nd\n", "A\nb\nc\nd\n", true},
		{"ours deletes, theirs edits elsewhere", "a\nb\nc\nd\ne\n", "a\nc\nd\ne\n", "a\nb\nc\nd\nE\n", "a\nc\nd\nE\n", true},
		{"both delete the same line", "a\nb\nc\n", "a\nc\n", "a\nc\n", "a\nc\n", true},
		{"delete vs edit same line", "a\nb\nc\n", "a\nc\n", "a\nB\nc\n", "", false},
		{"delete everything vs untouched", "a\nb\n", "", "a\nb\n", "", true},
		{"delete everything vs edit", "a\nb\n", "", "a\nB\n", "", false},
		{"insert at the same place", "a\nc\n", "a\nb1\nc\n", "a\nb2\nc\n", "", false},
		{"inserts at different places", "a\nb\nc\nd\n", "a\nx\nb\nc\nd\n", "a\nb\nc\ny\nd\n", "a\nx\nb\nc\ny\nd\n", true},
		{"no final newline, edit elsewhere", "a\nb\nc", "A\nb\nc", "a\nb\nc", "A\nb\nc", true},
		{"no final newline, both append", "a", "a\nb", "a\nc", "", false},
		{"crlf kept", "a\r\nb\r\nc\r\n", "A\r\nb\r\nc\r\n", "a\r\nb\r\nC\r\n", "A\r\nb\r\nC\r\n", true},
		{"repeated lines", "x\nx\nx\nx\n", "x\ny\nx\nx\n", "x\nx\nx\nz\n", "x\ny\nx\nz\n", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, clean := textdiff.Merge3([]byte(c.base), []byte(c.ours), []byte(c.theirs))
			if clean != c.clean {
				t.Fatalf("clean = %v, want %v; merged:\n%s", clean, c.clean, got)
			}
			if clean && string(got) != c.want {
				t.Fatalf("merged = %q, want %q", got, c.want)
			}
			if !clean && (!strings.Contains(string(got), "<<<<<<< ours\n") || !strings.Contains(string(got), ">>>>>>> theirs\n")) {
				t.Fatalf("conflict without markers: %q", got)
			}
			// Merging is symmetric in which side is "ours".
			back, backClean := textdiff.Merge3([]byte(c.base), []byte(c.theirs), []byte(c.ours))
			if backClean != clean || (clean && string(back) != string(got)) {
				t.Fatalf("swapped sides: %q, %v", back, backClean)
			}
		})
	}
}

// A conflict keeps both versions whole between the markers, and the parts
// around it merged.
func TestMerge3ConflictMarkers(t *testing.T) {
	got, clean := textdiff.Merge3([]byte("top\nmid\nend\n"), []byte("TOP\nours\nend\n"), []byte("top\ntheirs\nend\n"))
	if clean {
		t.Fatal("clean")
	}
	want := "<<<<<<< ours\nTOP\nours\n=======\ntop\ntheirs\n>>>>>>> theirs\nend\n"
	if string(got) != want {
		t.Fatalf("merged =\n%s\nwant\n%s", got, want)
	}
	got, _ = textdiff.Merge3([]byte("a"), []byte("b"), []byte("c"))
	if string(got) != "<<<<<<< ours\nb\n=======\nc\n>>>>>>> theirs\n" {
		t.Fatalf("no-newline conflict = %q", got)
	}
}

func TestMerge3Large(t *testing.T) {
	var base, ours, theirs strings.Builder
	for i := range 5000 {
		line := fmt.Sprintf("line %d\n", i)
		base.WriteString(line)
		switch {
		case i == 10:
			ours.WriteString("ours edit\n")
			theirs.WriteString(line)
		case i == 4990:
			ours.WriteString(line)
			theirs.WriteString("theirs edit\n")
		default:
			ours.WriteString(line)
			theirs.WriteString(line)
		}
	}
	got, clean := textdiff.Merge3([]byte(base.String()), []byte(ours.String()), []byte(theirs.String()))
	if !clean || !strings.Contains(string(got), "ours edit\n") || !strings.Contains(string(got), "theirs edit\n") ||
		strings.Count(string(got), "\n") != 5000 {
		t.Fatalf("clean=%v, %d lines", clean, strings.Count(string(got), "\n"))
	}
}

func TestDiffLines(t *testing.T) {
	cases := []struct {
		name, a, b string
		want       string // one "op text" per line
	}{
		{"equal", "a\nb\n", "a\nb\n", " a| b"},
		{"both empty", "", "", ""},
		{"from empty", "", "a\nb\n", "+a|+b"},
		{"to empty", "a\n", "", "-a"},
		{"change middle", "a\nb\nc\n", "a\nB\nc\n", " a|-b|+B| c"},
		{"insert", "a\nc\n", "a\nb\nc\n", " a|+b| c"},
		{"delete", "a\nb\nc\n", "a\nc\n", " a|-b| c"},
		{"final newline added", "a\nb", "a\nb\n", " a|-b|+b"},
		{"crlf stripped from text", "a\r\n", "b\r\n", "-a|+b"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, l := range textdiff.DiffLines([]byte(c.a), []byte(c.b)) {
				got = append(got, string(l.Op)+l.Text)
			}
			if strings.Join(got, "|") != c.want {
				t.Fatalf("DiffLines = %q, want %q", strings.Join(got, "|"), c.want)
			}
		})
	}
}

// More distinct lines than fit below the UTF-16 surrogate range still diff
// line by line.
func TestDiffLinesManyDistinctLines(t *testing.T) {
	var a, b strings.Builder
	for i := range 60000 {
		fmt.Fprintf(&a, "%d\n", i)
		if i != 59000 {
			fmt.Fprintf(&b, "%d\n", i)
		}
	}
	diff := textdiff.DiffLines([]byte(a.String()), []byte(b.String()))
	var changed []string
	for _, l := range diff {
		if l.Op != ' ' {
			changed = append(changed, string(l.Op)+l.Text)
		}
	}
	if len(diff) != 60000 || strings.Join(changed, ",") != "-59000" {
		t.Fatalf("%d lines, changed %v", len(diff), changed)
	}
}
