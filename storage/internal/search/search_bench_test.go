package search_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/storage/internal/search"
)

// BenchmarkScreen5k measures what the memo cannot spare: the first screen
// of a search nobody ran since the indexes changed, on 5,000 pages, for a
// word on every page and a word on one in ten ("total" counts every match
// too; "screen" finds the total remembered, as paging does; "fresh" adds
// a word to leave out that no search asked for before, with a memo that
// remembers everything, as the server's fresh-search figures do).
func BenchmarkScreen5k(b *testing.B) {
	pages := make(map[string][2]string, 5000)
	for i := 1; i <= 5000; i++ {
		extra := ""
		if i%10 == 0 {
			extra = " It also mentions a rareword."
		}
		pages[fmt.Sprintf("Pages/Page %04d", i)] = [2]string{fmt.Sprintf("Page %d", i),
			fmt.Sprintf("This common page %d talks about wikis, search and indexes.%s", i, extra)}
	}
	db := MustSearchDB(b, pages)
	totals := map[string]any{}
	for _, mode := range []string{"total", "screen", "fresh"} {
		s := &search.Searcher{DB: db.R}
		if mode == "fresh" {
			s.Memo = rememberAll()
		}
		if mode == "screen" {
			s.Memo = func(key string, compute func() (any, int, error)) (any, error) {
				if v, ok := totals[key]; ok {
					return v, nil
				}
				v, _, err := compute()
				if err == nil && strings.HasPrefix(key, "n\x00") {
					totals[key] = v
				}
				return v, err
			}
		}
		for _, q := range []string{"common", "rareword", "common -rareword", "wiki OR search"} {
			b.Run(mode+"/"+q, func(b *testing.B) {
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					qi := q
					if mode == "fresh" {
						i++
						qi = fmt.Sprintf("%s -zq%d", q, i)
					}
					if res, err := s.Search(context.Background(), qi, 20, ""); err != nil || len(res.Hits) != 20 {
						b.Fatalf("Search(%q): %v", qi, err)
					}
				}
			})
		}
		s.Close()
	}
}

// rememberAll is a memo that never forgets (the memo of an index that does
// not change).
func rememberAll() func(string, func() (any, int, error)) (any, error) {
	kept := map[string]any{}
	return func(key string, compute func() (any, int, error)) (any, error) {
		if v, ok := kept[key]; ok {
			return v, nil
		}
		v, _, err := compute()
		if err == nil {
			kept[key] = v
		}
		return v, err
	}
}
