package gitrepo

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/warren-wiki/warren/storage/gitpack"
	"github.com/warren-wiki/warren/wiki"
)

// Repacking keeps a repository fast to serve: every push and every web
// save adds a pack (older repositories also hold loose objects), and each
// extra pack is one more index to search. A repack writes all packed and loose objects into one new pack
// with the pack writer upload-pack uses, so existing entries (deltas
// included) are copied verbatim rather than recompressed; the result is
// indexed by a full parse with go-git, which also proves it complete before
// anything is removed. It takes no wiki lock: packs are immutable, a push
// running meanwhile adds its own pack, and only files the new pack provably
// holds are removed. Unreachable objects are kept (nothing is pruned).

// staleTempAge is the age past which a temporary pack file is taken to be
// left by a crashed push or repack and removed.
const staleTempAge = time.Hour

// Repack consolidates repo's packs and loose objects into one pack and
// removes what it replaced at once. It is for maintenance when no reader is
// active (a CLI command, tests); a server uses a Repacker, which leaves
// replaced files in place for a grace period.
func Repack(ctx context.Context, repo *Repo) error {
	res, err := repackRepo(ctx, repo, nil, nil)
	if err != nil || res == nil {
		return err
	}
	res.remove(repo)
	return nil
}

// repackResult lists the files a repack made redundant.
type repackResult struct {
	packs []string // .pack paths
	loose []string // loose object paths
}

// remove deletes the replaced files: a pack before its index (go-git finds
// packs by their .pack name), then the loose objects.
func (res *repackResult) remove(repo *Repo) {
	for _, p := range res.packs {
		base := strings.TrimSuffix(p, ".pack")
		for _, ext := range []string{".pack", ".idx", ".rev", ".bitmap"} {
			os.Remove(base + ext)
		}
	}
	for _, p := range res.loose {
		os.Remove(p)
	}
	repo.Reload() // a closed repository has nothing to forget
}

// paths lists every file the result will remove.
func (res *repackResult) paths() []string {
	return append(append([]string{}, res.packs...), res.loose...)
}

// repackRepo writes the new pack and installs it; skip names files already
// replaced by an earlier repack and awaiting removal; pick, if not nil,
// chooses the packs to merge (with every loose object) instead of all. It
// returns nil when there is nothing to consolidate.
func repackRepo(ctx context.Context, repo *Repo, skip map[string]bool, pick func([]*gitpack.PackFile) []*gitpack.PackFile) (res *repackResult, err error) {
	objDir := filepath.Join(repo.Dir(), "objects")
	packDir := filepath.Join(objDir, "pack")
	unlock, err := lockRepack(packDir)
	if err != nil {
		return nil, err
	}
	defer unlock()
	removeStaleTemp(packDir)
	st, err := gitpack.OpenObjectStore(repo.Dir())
	if err != nil {
		return nil, err
	}
	defer st.Close()
	st.Packs = dropSkipped(st.Packs, skip)
	chosen := st.Packs
	if pick != nil {
		chosen = pick(st.Packs)
	}
	loose, err := listLoose(objDir, skip)
	if err != nil {
		return nil, err
	}
	if len(chosen) <= 1 && len(loose) == 0 {
		return nil, nil
	}
	send := gitpack.NewObjSet()
	res = &repackResult{}
	for _, p := range chosen {
		for pos := range p.N {
			send.Add(p.HashAt(pos))
		}
		res.packs = append(res.packs, p.Path)
	}
	for h, path := range loose {
		send.Add(h)
		res.loose = append(res.loose, path)
	}
	in, err := gitpack.WriteRepack(ctx, st, send, packDir)
	if err != nil {
		return nil, err
	}
	defer in.Discard()
	for _, h := range send.List {
		if _, ok := in.Objects[h]; !ok {
			return nil, wiki.Errorf(wiki.EINTERNAL, "repack lost object %s", h)
		}
	}
	if err := in.Install(); err != nil {
		return nil, err
	}
	res.packs = withoutPath(res.packs, filepath.Join(packDir, "pack-"+in.Sum.String()+".pack"))
	repo.Reload()
	return res, nil
}

// lockRepack keeps two repacks of one repository (a server's and a CLI's)
// from running at once; a lock older than staleTempAge is broken.
func lockRepack(packDir string) (func(), error) {
	if err := os.MkdirAll(packDir, 0o755); err != nil {
		return nil, err
	}
	name := filepath.Join(packDir, "repack.lock")
	for range 2 {
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			f.Close()
			return func() { os.Remove(name) }, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
		if fi, err := os.Stat(name); err == nil && time.Since(fi.ModTime()) > staleTempAge {
			os.Remove(name)
		}
	}
	return nil, wiki.Errorf(wiki.ECONFLICT, "another repack of this repository is running")
}

// removeStaleTemp removes temporary pack files a crash left behind.
func removeStaleTemp(packDir string) {
	entries, _ := os.ReadDir(packDir)
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "tmp_") {
			continue
		}
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > staleTempAge {
			os.Remove(filepath.Join(packDir, e.Name()))
		}
	}
	removeCutShort(packDir, entries)
}

// removeCutShort removes the packs a crash cut short before they were
// flushed (gitpack.PackComplete), once they are old: no ref names their
// objects, and a young one may still be being written.
func removeCutShort(packDir string, entries []os.DirEntry) {
	for _, e := range entries {
		base, ok := strings.CutSuffix(e.Name(), ".pack")
		if !ok || !strings.HasPrefix(base, "pack-") {
			continue
		}
		name := filepath.Join(packDir, e.Name())
		fi, err := e.Info()
		if err != nil || time.Since(fi.ModTime()) <= staleTempAge || gitpack.PackComplete(name) {
			continue
		}
		os.Remove(filepath.Join(packDir, base+".idx"))
		os.Remove(name)
	}
}

// listLoose finds the loose objects (objects/xx/38 hex digits).
func listLoose(objDir string, skip map[string]bool) (map[plumbing.Hash]string, error) {
	out := map[plumbing.Hash]string{}
	dirs, err := os.ReadDir(objDir)
	if err != nil {
		return nil, err
	}
	for _, d := range dirs {
		if !d.IsDir() || len(d.Name()) != 2 || !gitpack.IsHexID(d.Name()+strings.Repeat("0", 38)) {
			continue
		}
		files, err := os.ReadDir(filepath.Join(objDir, d.Name()))
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			id := d.Name() + f.Name()
			path := filepath.Join(objDir, d.Name(), f.Name())
			if gitpack.IsHexID(id) && !skip[path] {
				out[plumbing.NewHash(id)] = path
			}
		}
	}
	return out, nil
}

// countLoose counts loose objects, for the decision to repack.
func countLoose(objDir string, skip map[string]bool) int {
	loose, _ := listLoose(objDir, skip)
	return len(loose)
}

// countPacks counts pack files, for the decision to repack.
func countPacks(packDir string, skip map[string]bool) int {
	names, _ := filepath.Glob(filepath.Join(packDir, "pack-*.pack"))
	n := 0
	for _, name := range names {
		if !skip[name] {
			n++
		}
	}
	return n
}

// dropSkipped closes and leaves out the packs an earlier repack replaced.
func dropSkipped(packs []*gitpack.PackFile, skip map[string]bool) []*gitpack.PackFile {
	var out []*gitpack.PackFile
	for _, p := range packs {
		if skip[p.Path] {
			p.Close()
		} else {
			out = append(out, p)
		}
	}
	return out
}

func withoutPath(paths []string, drop string) []string {
	var out []string
	for _, p := range paths {
		if p != drop {
			out = append(out, p)
		}
	}
	return out
}
