package storage_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// benchPage is a page of realistic size: headings, prose, a table, code and
// a few wikilinks (one of them missing, so the view marks it).
func benchPage() string {
	var b strings.Builder
	b.WriteString("# Benchmark\n\n")
	for i := range 20 {
		fmt.Fprintf(&b, "## Section %d\n\nSome *prose* with [[Home]] and [[Missing %d]] links.\n\n", i, i%3)
		b.WriteString("| a | b |\n|---|---|\n| 1 | 2 |\n\n```go\nfunc main() {}\n```\n\n")
	}
	return b.String()
}

// BenchmarkView measures a warm page view: one indexed read for the page
// and its cached HTML, the blob read, and the missing-link query.
func BenchmarkView(b *testing.B) {
	ctx := context.Background()
	w := MustOpenWiki(b, map[string]string{"Home.md": "# Home\n", "Bench.md": benchPage()})
	if _, err := w.View(ctx, "Bench", ""); err != nil {
		b.Fatal(err)
	}
	renders := w.Renderer.n.Load()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := w.View(ctx, "Bench", ""); err != nil {
			b.Fatal(err)
		}
	}
	if got := w.Renderer.n.Load(); got != renders {
		b.Fatalf("warm views rendered %d times", got-renders)
	}
}

// BenchmarkSave measures a save of an existing page: catch-up check,
// commit, and indexing (render, search text, links, change log) of the
// new revision.
func BenchmarkSave(b *testing.B) {
	ctx := context.Background()
	w := MustOpenWiki(b, map[string]string{"Home.md": "# Home\n", "Bench.md": benchPage()})
	rev := w.mustPage(b, "Bench").Revision
	text := benchPage()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		res, err := w.Save(ctx, wiki.SaveRequest{Name: "Bench", Content: fmt.Appendf(nil, "%s\nedit %d\n", text, i),
			BaseRevision: rev, Author: caller("bench")})
		if err != nil {
			b.Fatal(err)
		}
		rev = res.Revision
	}
}
