package search_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/warren-wiki/warren/storage/internal/search"
)

// pagingPages is a wiki of 120 pages where every page has "alpha", every
// third "beta", every fifth "gamma" in its title (a title hit) and every
// seventh "gamma" in its text, and every eleventh the long word
// "configurations" (stored as "configur") or "supercalifragilistic" (longer
// than any prefix index).
func pagingPages() map[string][2]string {
	pages := map[string][2]string{}
	for i := 1; i <= 120; i++ {
		title, text := fmt.Sprintf("Page %d", i), fmt.Sprintf("alpha text %d", i)
		if i%3 == 0 {
			text += " beta"
		}
		if i%5 == 0 {
			title = fmt.Sprintf("Gamma %d", i)
		}
		if i%7 == 0 {
			text += " gamma"
		}
		if i%11 == 0 {
			text += " configurations supercalifragilistic"
		}
		pages[fmt.Sprintf("P%03d", i)] = [2]string{title, text}
	}
	return pages
}

// wantNames lists, by number, the pages of pagingPages that keep holds for.
func wantNames(keep func(i int) bool) []string {
	var out []string
	for i := 1; i <= 120; i++ {
		if keep(i) {
			out = append(out, fmt.Sprintf("P%03d", i))
		}
	}
	return out
}

// walk follows next through every screen of q, checking that each screen
// reports the same total, and returns the names in order and the total.
func walk(t *testing.T, s *search.Searcher, q string, limit int) ([]string, int) {
	t.Helper()
	var names []string
	total, after := -1, ""
	for range 200 {
		res, err := s.Search(context.Background(), q, limit, after)
		if err != nil {
			t.Fatalf("Search(%q, after %q): %v", q, after, err)
		}
		if total >= 0 && res.Total != total {
			t.Fatalf("Search(%q): total %d on one screen, %d on the next", q, total, res.Total)
		}
		total = res.Total
		for _, h := range res.Hits {
			names = append(names, h.Name)
		}
		if res.Next == "" {
			return names, total
		}
		after = res.Next
	}
	t.Fatalf("Search(%q): more than 200 screens", q)
	return nil, 0
}

// TestSearchTotalsAndPagingAcrossTiers: for each query shape (a word, a
// word left out, OR, a title word that is also in some texts, prefixes of
// every length), walking every screen lists each matching page exactly
// once — title hits first — and the total counts exactly them, whether or
// not the memo remembered the total of the same words without their
// exclusions first.
func TestSearchTotalsAndPagingAcrossTiers(t *testing.T) {
	db := MustSearchDB(t, pagingPages())
	gammaTitle := func(i int) bool { return i%5 == 0 }
	cases := []struct {
		q     string
		keep  func(i int) bool
		title func(i int) bool // the pages that must come first
	}{
		{"alpha", func(int) bool { return true }, nil},
		{"alpha -beta", func(i int) bool { return i%3 != 0 }, nil},
		{"gamma", func(i int) bool { return i%5 == 0 || i%7 == 0 }, gammaTitle},
		{"gamma -beta", func(i int) bool { return (i%5 == 0 || i%7 == 0) && i%3 != 0 }, func(i int) bool { return i%5 == 0 && i%3 != 0 }},
		{"beta OR gamma", func(i int) bool { return i%3 == 0 || i%5 == 0 || i%7 == 0 }, gammaTitle},
		{"gam", func(i int) bool { return i%5 == 0 || i%7 == 0 }, gammaTitle},
		{"configuration", func(i int) bool { return i%11 == 0 }, nil},
		{"configurations", func(i int) bool { return i%11 == 0 }, nil},
		{"supercalifragi", func(i int) bool { return i%11 == 0 }, nil},
		{"supercalifragilistic -beta", func(i int) bool { return i%11 == 0 && i%3 != 0 }, nil},
		{"alpha -zzz", func(int) bool { return true }, nil},
	}
	for _, memo := range []bool{false, true} {
		s, _ := memoSearcher(db)
		if !memo {
			s = &search.Searcher{DB: db.R}
		}
		for _, c := range cases {
			for _, limit := range []int{1, 7, 200} {
				got, total := walk(t, s, c.q, limit)
				want := wantNames(c.keep)
				if total != len(want) || !slices.Equal(sortedCopy(got), want) {
					t.Errorf("memo %v, Search(%q, limit %d) = %v (total %d), want %v", memo, c.q, limit, got, total, want)
					continue
				}
				if c.title != nil {
					first := wantNames(c.title)
					if !slices.Equal(sortedCopy(got[:len(first)]), first) {
						t.Errorf("Search(%q, limit %d) starts %v, want the title hits %v first", c.q, limit, got[:len(first)], first)
					}
				}
			}
		}
		s.Close()
	}
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}
