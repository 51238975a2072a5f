package index

import (
	"context"
	"sort"
	"time"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/wiki"
)

// indexPlan is what one catch-up will write.
type indexPlan struct {
	head    string
	rebuild bool                 // throw the derived tables away and describe head from scratch
	commits []gitrepo.CommitInfo // commits to add to the change log, oldest first
	files   []pageState          // the final state of every page file that changed
	others  []fileState          // the final state of every other file that changed
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
func (ix *Indexer) plan(ctx context.Context, mark, head string) (*indexPlan, error) {
	p := &indexPlan{head: head}
	if head == "" {
		p.rebuild = true // unborn branch: the index is empty
		return p, nil
	}
	if mark != "" {
		commits, err := ix.Repo.Log(ctx, mark, head)
		if err == nil && descendsFrom(commits, mark) {
			return ix.planReplay(ctx, p, mark, commits)
		}
	}
	return ix.planRebuild(ctx, p)
}

// descendsFrom reports whether one of the commits is a child of mark, which
// proves mark is an ancestor of head. A watermark reachable only through a
// merge's second parent fails this test and costs a rebuild, which is
// correct, only slower.
func descendsFrom(commits []gitrepo.CommitInfo, mark string) bool {
	for _, c := range commits {
		if c.Parent == mark {
			return true
		}
	}
	return false
}

// planReplay takes each file's final state from the tree diff between the
// watermark and head (exact even across merges) and its revision from the
// commits in between.
func (ix *Indexer) planReplay(ctx context.Context, p *indexPlan, mark string, commits []gitrepo.CommitInfo) (*indexPlan, error) {
	changes, err := ix.Repo.Diff(ctx, mark, p.head)
	if err != nil {
		return nil, err
	}
	p.commits = commits
	last, err := ix.lastTouch(ctx, commits, p.head)
	if err != nil {
		return nil, err
	}
	for _, c := range changes {
		blob := c.Blob
		if c.Action == "deleted" || !RegularFile(c.Mode) {
			blob = "" // gone, or now a symlink or submodule: not served
		}
		name, ok := PageName(c.Path)
		if !ok {
			p.others = appendFile(p.others, c.Path, blob)
			continue
		}
		p.files = append(p.files, last.state(c.Path, name, blob))
	}
	sortStates(p.files)
	return p, nil
}

// planRebuild describes every page file of head.
func (ix *Indexer) planRebuild(ctx context.Context, p *indexPlan) (*indexPlan, error) {
	p.rebuild = true
	commits, err := ix.Repo.Log(ctx, "", p.head)
	if err != nil {
		return nil, err
	}
	files, err := ix.Repo.ListFiles(ctx, p.head)
	if err != nil {
		return nil, err
	}
	p.commits = commits
	last, err := ix.lastTouch(ctx, commits, p.head)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if !RegularFile(f.Mode) {
			continue
		}
		name, ok := PageName(f.Path)
		if !ok {
			p.others = appendFile(p.others, f.Path, f.Blob)
			continue
		}
		p.files = append(p.files, last.state(f.Path, name, f.Blob))
	}
	sortStates(p.files)
	return p, nil
}

// touches maps each path to the last commit (in log order) that changed it.
type touches struct {
	byPath map[string]*wiki.Revision
	head   *wiki.Revision
}

// lastTouch indexes commits by the paths they changed.
func (ix *Indexer) lastTouch(ctx context.Context, commits []gitrepo.CommitInfo, head string) (*touches, error) {
	t := &touches{byPath: make(map[string]*wiki.Revision)}
	for i := range commits {
		for _, ch := range commits[i].Changes {
			t.byPath[ch.Path] = &commits[i].Revision
		}
		if commits[i].ID == head {
			t.head = &commits[i].Revision
		}
	}
	if t.head == nil {
		rev, err := ix.Repo.Revision(ctx, head)
		if err != nil {
			return nil, err
		}
		t.head = &rev
	}
	return t, nil
}

// state builds a file's final state; a file no commit in the range claims
// (possible only through unusual merges) is attributed to head.
func (t *touches) state(file, name, blob string) pageState {
	rev := t.byPath[file]
	if rev == nil {
		rev = t.head
	}
	return pageState{file: file, name: name, blob: blob, revision: rev.ID, at: rev.Time}
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
