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
// too; "screen" finds the total remembered, as paging does).
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
	for _, mode := range []string{"total", "screen"} {
		s := &search.Searcher{DB: db.R}
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
				for b.Loop() {
					if res, err := s.Search(context.Background(), q, 20, ""); err != nil || len(res.Hits) != 20 {
						b.Fatalf("Search(%q): %v", q, err)
					}
				}
			})
		}
		s.Close()
	}
}
