package storage_test

import (
	"context"
	"fmt"
	"testing"
)

// searchBenchWiki is the bench's search wiki: n pages, each with the word
// "common", every tenth with "rareword" (cmd/warren-bench/history.go).
func searchBenchWiki(b *testing.B, n int) *testWiki {
	files := make(map[string]string, n)
	for i := 1; i <= n; i++ {
		extra := ""
		if i%10 == 0 {
			extra = " It also mentions a rareword."
		}
		files[fmt.Sprintf("Pages/Page %04d.md", i)] = fmt.Sprintf(
			"# Page %d\n\nThis common page %d talks about wikis, search and indexes.%s\n\n- one\n- two\n", i, i, extra)
	}
	return MustOpenWiki(b, files)
}

// BenchmarkSearch5k measures the first results page of a search on a
// 5,000-page wiki, for a word on every page and a word on one in ten:
// the two should cost the same.
func BenchmarkSearch5k(b *testing.B) {
	w := searchBenchWiki(b, 5000)
	for _, q := range []string{"common", "rareword", "common -rareword", `"common page"`} {
		b.Run(q, func(b *testing.B) {
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				res, err := w.Search(ctx, q, 20, "")
				if err != nil || len(res.Hits) != 20 {
					b.Fatalf("Search(%q): %v", q, err)
				}
			}
		})
	}
}

// BenchmarkSearchFresh5k is the server's fresh-search figure without HTTP:
// each query leaves out a word no earlier query named, so no remembered
// screen or total can answer it (the total of the words without the
// exclusion may be remembered, as it is in the server).
func BenchmarkSearchFresh5k(b *testing.B) {
	w := searchBenchWiki(b, 5000)
	for _, q := range []string{"common", "rareword"} {
		b.Run(q, func(b *testing.B) {
			ctx := context.Background()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				qi := fmt.Sprintf("%s -zq%d", q, i)
				res, err := w.Search(ctx, qi, 20, "")
				if err != nil || len(res.Hits) != 20 {
					b.Fatalf("Search(%q): %v", qi, err)
				}
			}
		})
	}
}
