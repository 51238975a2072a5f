package gitpack_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/warren-wiki/warren/storage/gitpack"
)

// rawTree builds a tree object's content from "mode name" entries, in the
// order given; each entry's id is derived from its text and version.
func rawTree(entries ...string) []byte {
	var b bytes.Buffer
	for _, e := range entries {
		text, version, _ := strings.Cut(e, "@")
		b.WriteString(text)
		b.WriteByte(0)
		id := plumbing.ComputeHash(plumbing.BlobObject, []byte(text+version))
		b.Write(id[:])
	}
	return b.Bytes()
}

func TestCheckTreeAcceptsGitOrder(t *testing.T) {
	// git sorts a subtree "a" as "a/": after "a-b" and "a.c", before "a0".
	tree := rawTree("100644 Home.md", "100644 a-b", "100644 a.c", "40000 a", "100644 a0", "120000 link")
	if err := gitpack.CheckTree(tree); err != nil {
		t.Fatalf("CheckTree: %v", err)
	}
}

func TestCheckTreeRefusesMalformedTrees(t *testing.T) {
	cases := map[string][]byte{
		"Unsorted":               rawTree("100644 b", "100644 a"),
		"RepeatedFile":           rawTree("100644 a", "100644 a"),
		"FileAndDirSameName":     rawTree("100644 a", "40000 a"),
		"FileAndDirWithBetween":  rawTree("100644 a", "100644 a-b", "100644 a.c", "40000 a"),
		"NestedCandidates":       rawTree("100644 a", "100644 a-b", "40000 a-b", "40000 a"),
		"DirSortedAsFile":        rawTree("40000 a", "100644 a-b"),
		"SlashInName":            rawTree("100644 a/b"),
		"LeadingZeroMode":        rawTree("0100644 a"),
		"NonOctalMode":           rawTree("100844 a"),
		"EmptyName":              rawTree("100644 "),
		"TruncatedID":            rawTree("100644 a")[:15],
		"NoSpace":                []byte("100644"),
		"ModeTooLong":            rawTree("1000000644 a"),
		"GarbageAfterLastEntry":  append(rawTree("100644 a"), '1'),
		"DuplicateAfterManyDirs": rawTree("100644 x", "40000 x!", "40000 x-", "40000 x"),
	}
	for name, tree := range cases {
		t.Run(name, func(t *testing.T) {
			if err := gitpack.CheckTree(tree); err == nil {
				t.Fatalf("CheckTree accepted %q", tree)
			}
		})
	}
}

func TestDiffTreeReportsOnlyChangedEntries(t *testing.T) {
	old := rawTree("100644 Home.md", "40000 Notes", "100644 Old.md", "100644 Same.md", "40000 Team")
	tree := rawTree("100644 Home.md@2", "100644 New.md", "40000 Notes@2", "100644 Same.md", "100755 Team")
	var got []string
	var subs []plumbing.Hash
	err := gitpack.DiffTree(tree, old, true, func(e *gitpack.TreeEntry, sub plumbing.Hash) error {
		got = append(got, fmt.Sprintf("%o %s", uint32(e.Mode), e.Name))
		subs = append(subs, sub)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"100644 Home.md", "100644 New.md", "40000 Notes", "100755 Team"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("changed entries %v, want %v", got, want)
	}
	notes := plumbing.ComputeHash(plumbing.BlobObject, []byte("40000 Notes"))
	if subs[2] != notes || !subs[0].IsZero() || !subs[1].IsZero() || !subs[3].IsZero() {
		t.Fatalf("old subtrees %v: want Notes' old id only for Notes", subs)
	}
}

func TestDiffTreeChecksTheNewTree(t *testing.T) {
	err := gitpack.DiffTree(rawTree("100644 b", "100644 a"), nil, true, func(*gitpack.TreeEntry, plumbing.Hash) error { return nil })
	var fault *gitpack.ObjectFault
	if !errors.As(err, &fault) {
		t.Fatalf("DiffTree on an unsorted tree: %v, want an object fault", err)
	}
}

func TestCompareTreesReportsBothSides(t *testing.T) {
	a := rawTree("100644 Gone.md", "100644 Home.md", "100644 Same.md", "100644 X")
	b := rawTree("100644 Home.md@2", "100644 New.md", "100644 Same.md", "40000 X")
	var got []string
	err := gitpack.CompareTrees(a, b, func(x, y *gitpack.TreeEntry) error {
		side := func(e *gitpack.TreeEntry) string {
			if e == nil {
				return "-"
			}
			return fmt.Sprintf("%o:%s", uint32(e.Mode), e.Name)
		}
		got = append(got, side(x)+">"+side(y))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "[100644:Gone.md>- 100644:Home.md>100644:Home.md ->100644:New.md 100644:X>- ->40000:X]"
	if fmt.Sprint(got) != want {
		t.Fatalf("got %v\nwant %s", got, want)
	}
}
