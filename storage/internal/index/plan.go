package index

import (
	"context"
	"sort"
	"time"

	"github.com/warren-wiki/warren/storage/gitrepo"
)

// indexPlan is what one catch-up will write. The commits are not held: the
// walk describes them one at a time while apply writes the change log, and
// the final state of each file comes from one comparison of trees (the
// watermark's against head's, or head's listing), so a push of thousands
// of commits reads each commit's trees once and renders each page once.
type indexPlan struct {
	head    string
	rebuild bool               // throw the derived tables away and describe head from scratch
	fresh   bool               // a rebuild in a new database: its derived tables are empty
	walk    *gitrepo.LogWalk   // the commits to add to the change log, oldest first; nil if none
	changes []gitrepo.TreeFile // every file that differs at head (Blob "" when gone or not a regular file)
}

// close releases the walk; closing twice is harmless.
func (p *indexPlan) close() {
	if p.walk != nil {
		p.walk.Close()
		p.walk = nil
	}
}

// pageState is one page file as the indexer will store it: the state at
// head, computed before anything is rendered so that each final blob is
// rendered once however many commits touched it.
type pageState struct {
	file     string
	name     string
	blob     string // "" when the file is gone at head
	revision string // the last commit that changed the file
	at       time.Time
}

// plan decides between replaying the commits since the watermark and a full
// rebuild: the latter when there is no watermark (fresh or deleted wiki.db)
// or when the watermark is no longer an ancestor of head (a force push
// rewrote history, so the change log must forget the dropped commits).
// Ancestry is proven by a commit of the range whose first parent is mark
// (LogWalk.HasChildOf), read from commit headers before any tree is
// compared; a watermark reachable only through a merge's second parent
// fails this test and costs a rebuild, which is correct, only slower.
func (ix *Indexer) plan(ctx context.Context, mark, head string) (*indexPlan, error) {
	p := &indexPlan{head: head}
	if head == "" {
		p.rebuild = true // unborn branch: the index is empty
		return p, nil
	}
	if mark != "" {
		walk, err := ix.Repo.StartLog(ctx, mark, head)
		if err == nil && walk.HasChildOf(mark) {
			p.walk = walk
			return p, ix.planReplay(ctx, p, mark)
		}
		if err == nil {
			walk.Close()
		}
	}
	return p, ix.planRebuild(ctx, p)
}

// planReplay takes each file's final state from the tree diff between the
// watermark and head (exact even across merges); apply takes its revision
// from the commits in between.
func (ix *Indexer) planReplay(ctx context.Context, p *indexPlan, mark string) error {
	changes, err := ix.Repo.Diff(ctx, mark, p.head)
	if err != nil {
		p.close()
		return err
	}
	for _, c := range changes {
		blob := c.Blob
		if c.Action == "deleted" || !RegularFile(c.Mode) {
			blob = "" // gone, or now a symlink or submodule: not served
		}
		p.changes = append(p.changes, gitrepo.TreeFile{Path: c.Path, Blob: blob})
	}
	return nil
}

// planRebuild describes every regular file of head.
func (ix *Indexer) planRebuild(ctx context.Context, p *indexPlan) error {
	p.rebuild = true
	walk, err := ix.Repo.StartLog(ctx, "", p.head)
	if err != nil {
		return err
	}
	p.walk = walk
	files, err := ix.Repo.ListFiles(ctx, p.head)
	if err != nil {
		p.close()
		return err
	}
	for _, f := range files {
		if RegularFile(f.Mode) {
			p.changes = append(p.changes, gitrepo.TreeFile{Path: f.Path, Blob: f.Blob})
		}
	}
	return nil
}

// touch is the last commit (in log order) that changed a path.
type touch struct {
	id string
	at time.Time
}

// touches maps each path to the last commit that changed it, filled while
// the walk goes by.
type touches struct {
	byPath map[string]touch
	head   *touch
}

// add records the paths one commit changed.
func (t *touches) add(c *gitrepo.CommitInfo, head string) {
	tc := touch{id: c.ID, at: c.Time}
	for _, ch := range c.Changes {
		t.byPath[ch.Path] = tc
	}
	if c.ID == head {
		t.head = &tc
	}
}

// states splits the plan's files into pages and other files, each page with
// its revision; a file no commit in the range claims (possible only
// through unusual merges) is attributed to head.
func (p *indexPlan) states(t *touches) ([]pageState, []fileState) {
	var pages []pageState
	var others []fileState
	for _, f := range p.changes {
		name, ok := PageName(f.Path)
		if !ok {
			others = appendFile(others, f.Path, f.Blob)
			continue
		}
		rev, ok := t.byPath[f.Path]
		if !ok {
			rev = *t.head
		}
		pages = append(pages, pageState{file: f.Path, name: name, blob: f.Blob, revision: rev.id, at: rev.at})
	}
	sortStates(pages)
	return pages, others
}

// sortStates puts removals first, so that a page whose file changed name
// only in case (Home.md → Home.MD) is removed before it is added again.
func sortStates(s []pageState) {
	sort.SliceStable(s, func(i, j int) bool {
		if (s[i].blob == "") != (s[j].blob == "") {
			return s[i].blob == ""
		}
		return s[i].file < s[j].file
	})
}
