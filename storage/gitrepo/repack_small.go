package gitrepo

import (
	"log/slog"
	"slices"

	"github.com/warren-wiki/warren/storage/gitpack"
)

// Every commit adds a small pack (repo_savepack.go). Many packs make every
// lookup search many indexes, so once a repository has more than
// maxSmallPacks packs, the packs are merged geometrically, as
// `git repack --geometric=2` does: packs are sorted by size and the small
// ones are rolled up into one until each remaining pack is at least twice
// the size of all the smaller ones together. The large pack of a big wiki
// is rewritten only when the packs beside it add up to half its size, so
// each object is copied O(log n) times over a wiki's life, and the number
// of packs stays O(log n). The merge runs in the background after the
// commit that crossed the line, never in a save's way.

// maxSmallPacks is the number of packs past which a commit starts a merge.
const maxSmallPacks = 32

// geometricFactor is the ratio each pack must keep over all smaller ones.
const geometricFactor = 2

// consolidateLater starts a geometric merge in the background when the
// repository has too many packs and no merge is running.
func (r *Repo) consolidateLater() {
	r.mu.Lock()
	n := len(r.packs)
	r.mu.Unlock()
	if n <= maxSmallPacks || r.noSync || !r.consolidating.CompareAndSwap(false, true) {
		return
	}
	r.bg.Add(1)
	go func() {
		defer r.bg.Done()
		defer r.consolidating.Store(false)
		if err := r.consolidate(); err != nil && r.bgCtx.Err() == nil {
			slog.Default().Warn("merging small packs failed", "repo", r.dir, "err", err)
		}
	}()
}

// consolidate merges the packs pickGeometric chooses (and any loose
// objects) into one and removes them. Nothing is lost if it is
// interrupted: the new pack is durable before anything is removed, and the
// removed packs' objects are all in it.
func (r *Repo) consolidate() error {
	res, err := repackRepo(r.bgCtx, r, nil, pickGeometric)
	if err != nil || res == nil {
		return err
	}
	res.remove(r)
	return nil
}

// pickGeometric chooses the packs to roll up so that, afterwards, every
// pack is at least geometricFactor times all smaller packs together.
func pickGeometric(packs []*gitpack.PackFile) []*gitpack.PackFile {
	sorted := slices.Clone(packs)
	slices.SortFunc(sorted, func(a, b *gitpack.PackFile) int {
		return int(min(max(a.Size()-b.Size(), -1), 1))
	})
	sizes := make([]int64, len(sorted))
	for i, p := range sorted {
		sizes[i] = p.Size()
	}
	return sorted[:geometricSplit(sizes)]
}

// geometricSplit returns how many of the smallest packs (sizes ascending)
// to roll up: up to the largest one that breaks the progression, then on
// while the next pack is smaller than geometricFactor times the roll-up.
func geometricSplit(sizes []int64) int {
	split := 0
	for i := len(sizes) - 1; i > 0; i-- {
		if sizes[i] < geometricFactor*sizes[i-1] {
			split = i
			break
		}
	}
	if split == 0 {
		return 0
	}
	var rollup int64
	for _, s := range sizes[:split+1] {
		rollup += s
	}
	for split+1 < len(sizes) && sizes[split+1] < geometricFactor*rollup {
		split++
		rollup += sizes[split]
	}
	return split + 1
}
