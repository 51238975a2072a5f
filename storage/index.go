package storage

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/wiki"
)

// The indexer keeps wiki.db's derived tables (pages, pages_fts, links,
// changes and a warm render_cache) in step with the main branch. Its
// watermark, meta.indexed_commit, names the commit those tables describe
// and moves in the same transaction as the tables, so after a crash the
// next Sync simply catches up from wherever the watermark was.

// indexPlan is what one Sync will write.
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

// sync is Sync's body; see Sync in wiki_ops.go.
func (w *Wiki) sync(ctx context.Context) error {
	_, err := w.syncHead(ctx)
	return err
}

// syncHead brings the index up to HEAD and returns the commit it now
// describes. When nothing moved it costs one ref read and one indexed query.
func (w *Wiki) syncHead(ctx context.Context) (string, error) {
	w.index.Lock()
	defer w.index.Unlock()
	head, err := w.Repo.Head(ctx)
	if err != nil {
		return "", err
	}
	mark, err := getMeta(ctx, w.DB.R, metaIndexed)
	if err != nil || head == mark {
		return head, err
	}
	// Someone else (receive-pack, the git CLI) wrote objects: make them visible.
	if err := w.Repo.Reload(); err != nil {
		return "", err
	}
	if head, err = w.Repo.Head(ctx); err != nil {
		return "", err
	}
	plan, err := w.plan(ctx, mark, head)
	if err != nil {
		return "", err
	}
	return head, w.apply(ctx, plan)
}

// plan decides between replaying the commits since the watermark and a full
// rebuild: the latter when there is no watermark (fresh or deleted wiki.db)
// or when the watermark is no longer an ancestor of head (a force push
// rewrote history, so the change log must forget the dropped commits).
func (w *Wiki) plan(ctx context.Context, mark, head string) (*indexPlan, error) {
	p := &indexPlan{head: head}
	if head == "" {
		p.rebuild = true // unborn branch: the index is empty
		return p, nil
	}
	if mark != "" {
		commits, err := w.Repo.Log(ctx, mark, head)
		if err == nil && descendsFrom(commits, mark) {
			return w.planReplay(ctx, p, mark, commits)
		}
	}
	return w.planRebuild(ctx, p)
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
func (w *Wiki) planReplay(ctx context.Context, p *indexPlan, mark string, commits []gitrepo.CommitInfo) (*indexPlan, error) {
	changes, err := w.Repo.Diff(ctx, mark, p.head)
	if err != nil {
		return nil, err
	}
	p.commits = commits
	last, err := w.lastTouch(ctx, commits, p.head)
	if err != nil {
		return nil, err
	}
	for _, c := range changes {
		blob := c.Blob
		if c.Action == "deleted" || !regularFile(c.Mode) {
			blob = "" // gone, or now a symlink or submodule: not served
		}
		name, ok := pageName(c.Path)
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
func (w *Wiki) planRebuild(ctx context.Context, p *indexPlan) (*indexPlan, error) {
	p.rebuild = true
	commits, err := w.Repo.Log(ctx, "", p.head)
	if err != nil {
		return nil, err
	}
	files, err := w.Repo.ListFiles(ctx, p.head)
	if err != nil {
		return nil, err
	}
	p.commits = commits
	last, err := w.lastTouch(ctx, commits, p.head)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if !regularFile(f.Mode) {
			continue
		}
		name, ok := pageName(f.Path)
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
func (w *Wiki) lastTouch(ctx context.Context, commits []gitrepo.CommitInfo, head string) (*touches, error) {
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
		rev, err := w.Repo.Revision(ctx, head)
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

// pageName maps a repository path to a page the web can reach; files that
// are not pages, or whose names the web would refuse, are not indexed.
func pageName(file string) (string, bool) {
	name, ok := wiki.PageNameOf(file)
	if !ok || wiki.ValidatePageName(name) != nil {
		return "", false
	}
	return name, true
}

// regularFile skips symlinks and submodules, whose "content" is not a page.
func regularFile(mode uint32) bool {
	return mode == 0 || mode&0170000 == 0100000
}

// pageTitle is a page's first level-one ATX heading outside fenced code,
// which is how An Otter Wiki titles pages, else the name-based fallback.
func pageTitle(name string, content []byte) string {
	fence := ""
	for line := range strings.Lines(string(content)) {
		t := strings.TrimSpace(line)
		switch {
		case fence != "":
			if strings.HasPrefix(t, fence) {
				fence = ""
			}
		case strings.HasPrefix(t, "```"), strings.HasPrefix(t, "~~~"):
			fence = t[:3]
		case strings.HasPrefix(line, "# "):
			if title := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(line[2:]), "#")); title != "" {
				return title
			}
		}
	}
	return wiki.PageTitle(name)
}
