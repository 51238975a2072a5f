package gitrepo_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/internal/storetest"
)

// BenchmarkCommit measures one web save: a page written into a wiki of 200
// pages in 10 directories, objects fsynced, ref moved by compare-and-swap.
func BenchmarkCommit(b *testing.B) {
	files := map[string]string{}
	for i := range 200 {
		files[fmt.Sprintf("Dir %d/Page %d.md", i%10, i)] = fmt.Sprintf("# Page %d\n\nSome text.\n", i)
	}
	r := storetest.MustInitRepo(b, files)
	ctx := context.Background()
	head := storetest.RepoHead(b, r)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		id, err := r.Commit(ctx, gitrepo.CommitRequest{
			Parent:     head,
			Changes:    []gitrepo.FileChange{{Path: fmt.Sprintf("Dir %d/Page %d.md", i%10, i%200), Content: fmt.Appendf(nil, "edit %d\n", i)}},
			AuthorName: "Bench", AuthorEmail: "bench@example.com", Message: "edit", When: time.Now(),
		})
		if err != nil {
			b.Fatal(err)
		}
		head = id
	}
}

// BenchmarkReadFile measures reading one page at HEAD from a warm repository.
func BenchmarkReadFile(b *testing.B) {
	r := storetest.MustInitRepo(b, map[string]string{"Team/Meeting Notes.md": "# Notes\n", "Home.md": "# Home\n"})
	ctx := context.Background()
	for b.Loop() {
		if _, _, err := r.ReadFile(ctx, "", "Team/Meeting Notes.md"); err != nil {
			b.Fatal(err)
		}
	}
}
