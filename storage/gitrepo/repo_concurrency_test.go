package gitrepo_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/internal/storetest"
	"github.com/warren-wiki/warren/wiki"
)

// Many readers and one committer on one Repo at once (run with -race):
// readers always see a consistent commit — the page content matches the
// commit they read it at — and the committer's commits all land.
func TestRepoConcurrentReadersAndCommitter(t *testing.T) {
	r := storetest.MustInitRepo(t, map[string]string{"Home.md": "v0", "Team/Notes.md": "notes"})
	ctx := context.Background()
	const commits = 30
	var wg sync.WaitGroup
	stop := make(chan struct{})
	errs := make(chan error, 16)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if err := readConsistent(ctx, r, g+i); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	head := storetest.RepoHead(t, r)
	for i := 1; i <= commits; i++ {
		head = storetest.RepoMustCommit(t, r, head, map[string]string{"Home.md": fmt.Sprintf("v%d", i), fmt.Sprintf("P/%d.md", i): "x"})
		if i%10 == 0 {
			if err := r.Reload(); err != nil {
				t.Fatal(err)
			}
		}
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	log, err := r.Log(ctx, "", "")
	if err != nil || len(log) != commits+1 {
		t.Fatalf("Log = %d commits, %v", len(log), err)
	}
	storetest.MustGit(t, r.Dir(), "fsck", "--full", "--strict", "--no-dangling")
}

// readConsistent reads HEAD and checks what the repository says about it
// agrees with itself, rotating through the read methods.
func readConsistent(ctx context.Context, r *gitrepo.Repo, i int) error {
	head, err := r.Head(ctx)
	if err != nil || head == "" {
		return fmt.Errorf("Head = %q, %v", head, err)
	}
	hist, err := r.History(ctx, "Home.md", 1, "")
	if err != nil || len(hist) != 1 {
		return fmt.Errorf("History = %v, %v", hist, err)
	}
	data, blob, err := r.ReadFile(ctx, head, "Home.md")
	if err != nil {
		return fmt.Errorf("ReadFile: %v", err)
	}
	n := strings.TrimPrefix(string(data), "v")
	switch i % 4 {
	case 0:
		f, err := r.FindFile(ctx, head, "home.md")
		if err != nil || f.Blob != blob {
			return fmt.Errorf("FindFile = %+v, %v", f, err)
		}
	case 1:
		files, err := r.ListFiles(ctx, head)
		if err != nil {
			return fmt.Errorf("ListFiles: %v", err)
		}
		if want := 2 + atoi(n); len(files) != want {
			return fmt.Errorf("ListFiles at v%s = %d files, want %d", n, len(files), want)
		}
	case 2:
		b, err := r.ReadBlob(ctx, blob)
		if err != nil || string(b) != string(data) {
			return fmt.Errorf("ReadBlob = %q, %v", b, err)
		}
	case 3:
		rev, err := r.Revision(ctx, head)
		if err != nil || rev.ID != head {
			return fmt.Errorf("Revision = %+v, %v", rev, err)
		}
	}
	return nil
}

func atoi(s string) int {
	n := 0
	fmt.Sscan(s, &n)
	return n
}

// Writers racing without the wiki's write lock: the compare-and-swap lets
// exactly one commit from a given parent land; the others get ECONFLICT.
func TestRepoConcurrentCommitsOneWins(t *testing.T) {
	r := storetest.MustInitRepo(t, map[string]string{"Home.md": "base"})
	parent := storetest.RepoHead(t, r)
	const writers = 6
	results := make(chan error, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := r.Commit(context.Background(), gitrepo.CommitRequest{
				Parent: parent, AuthorName: "w", Message: "race",
				Changes: []gitrepo.FileChange{{Path: "Home.md", Content: fmt.Appendf(nil, "writer %d", i)}},
			})
			results <- err
		}()
	}
	wg.Wait()
	close(results)
	won := 0
	for err := range results {
		if err == nil {
			won++
		} else if wiki.ErrorCode(err) != wiki.ECONFLICT {
			t.Fatalf("loser got %v, want ECONFLICT", err)
		}
	}
	if won != 1 {
		t.Fatalf("%d writers won", won)
	}
	if got := storetest.MustGit(t, r.Dir(), "rev-list", "--count", "main"); got != "2\n" {
		t.Fatalf("history = %q commits", got)
	}
}
