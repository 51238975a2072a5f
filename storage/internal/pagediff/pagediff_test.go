package pagediff_test

import (
	"testing"

	"github.com/warren-wiki/warren/storage/internal/pagediff"
	"github.com/warren-wiki/warren/storage/internal/storetest"
	"github.com/warren-wiki/warren/wiki"
)

func side(s string) pagediff.Side { return pagediff.Side{OK: true, Text: []byte(s)} }

// TestRevertMergeKeepsLaterEdits undoes one line while a later edit
// elsewhere in the file stays.
func TestRevertMergeKeepsLaterEdits(t *testing.T) {
	theirs, base, ours := side("a\nb\nc\nd\ne\n"), side("a\nB\nc\nd\ne\n"), side("a\nB\nc\nd\ne!\n")
	got, err := pagediff.RevertMerge("p.md", base, ours, theirs)
	if err != nil || string(got.Text) != "a\nb\nc\nd\ne!\n" {
		t.Fatalf("RevertMerge = %q, %v", got.Text, err)
	}
}

// TestRevertMergeOfOverlappingEditsConflicts refuses with ECONFLICT.
func TestRevertMergeOfOverlappingEditsConflicts(t *testing.T) {
	_, err := pagediff.RevertMerge("p.md", side("x\n"), side("y\n"), side("z\n"))
	storetest.WantCode(t, err, wiki.ECONFLICT)
}

// TestRevertMergeOfBinaryConflicts never merges bytes that are not text.
func TestRevertMergeOfBinaryConflicts(t *testing.T) {
	_, err := pagediff.RevertMerge("a.bin", side("\x00a"), side("\x00b"), side("\x00c"))
	storetest.WantCode(t, err, wiki.ECONFLICT)
}

// TestBlameHandsLinesToOlderVersions attributes each line to the commit
// that added it.
func TestBlameHandsLinesToOlderVersions(t *testing.T) {
	versions := map[string]string{"c2": "one\ntwo\n", "c1": "one\n"}
	revs := []wiki.Revision{{ID: "c2", Message: "add two\nbody"}, {ID: "c1", Message: "add one"}}
	lines, err := pagediff.Blame([]byte(versions["c2"]), revs, func(rev string) ([]byte, error) {
		return []byte(versions[rev]), nil
	})
	if err != nil || len(lines) != 2 {
		t.Fatalf("Blame = %v, %v", lines, err)
	}
	if lines[0].Commit != "c1" || lines[1].Commit != "c2" || lines[1].Message != "add two" || lines[1].Text != "two" {
		t.Fatalf("Blame = %+v", lines)
	}
}

// TestLinesNumbersBothSidesAndCounts numbers lines and counts the change.
func TestLinesNumbersBothSidesAndCounts(t *testing.T) {
	lines := pagediff.Lines([]byte("a\nb\n"), []byte("a\nc\n"))
	if added, removed := pagediff.Counts(lines); added != 1 || removed != 1 {
		t.Fatalf("Counts = %d, %d", added, removed)
	}
	if a, r := pagediff.FileCounts([]byte("a\nb\n"), []byte("a\nc\n")); a != 1 || r != 1 {
		t.Fatalf("FileCounts = %d, %d", a, r)
	}
	if lines[0].Old != 1 || lines[0].New != 1 {
		t.Fatalf("first line numbered %d/%d", lines[0].Old, lines[0].New)
	}
}
