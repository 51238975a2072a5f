package gitrepo

import (
	"context"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/warren-wiki/warren/storage/gitpack"
	"github.com/warren-wiki/warren/storage/internal/durable"
	"github.com/warren-wiki/warren/wiki"
)

// RefSnapshot is what a repository's refs said at one instant: the branch
// HEAD names and every ref with the object it points at.
type RefSnapshot struct {
	Head string            `json:"head"`
	Refs map[string]string `json:"refs"`
}

// Snapshot reads the refs of the bare repository at dir and writes one pack
// of every object they reach to out, like `git bundle --all`: objects that
// nothing references are left behind, and objects written after the refs
// were read are not needed. The repository may be written meanwhile (pushes
// add objects, never remove reachable ones; repacks keep what they replace
// for a grace period, and open packs stay readable).
func Snapshot(ctx context.Context, dir string, out io.Writer) (RefSnapshot, error) {
	snap := RefSnapshot{Refs: map[string]string{}}
	repo, err := OpenRepo(dir)
	if err != nil {
		return snap, err
	}
	defer repo.Close()
	if snap.Head, err = repo.HeadTarget(ctx); err != nil {
		return snap, err
	}
	refs, err := repo.Refs(ctx)
	if err != nil {
		return snap, err
	}
	var wants []plumbing.Hash
	for name, id := range refs {
		if name == "HEAD" {
			continue
		}
		snap.Refs[name] = id
		if h := plumbing.NewHash(id); !slices.Contains(wants, h) {
			wants = append(wants, h)
		}
	}
	return snap, writeReachable(ctx, dir, wants, out)
}

// writeReachable packs everything reachable from wants.
func writeReachable(ctx context.Context, dir string, wants []plumbing.Hash, out io.Writer) error {
	st, err := gitpack.OpenObjectStore(dir)
	if err != nil {
		return err
	}
	defer st.Close()
	walk := &gitpack.ObjectWalk{Ctx: ctx, Graph: gitpack.NewWalkGraph(st), Store: st}
	if err := walk.Enumerate(wants, nil); err != nil {
		return err
	}
	pw := &gitpack.PackWriter{Ctx: ctx, Store: st, Out: out, OfsDelta: true, Send: walk.Send, Theirs: gitpack.NewObjSet()}
	return pw.Write()
}

// restoreLimits accept any pack a snapshot wrote: its size was fine on the
// farm it came from.
var restoreLimits = gitpack.Limits{MaxBlob: 1 << 40, MaxPush: 1 << 50}

// RestoreSnapshot lays out a bare repository at dir (which must not exist)
// from a pack written by Snapshot and its refs: the pack is checked and
// indexed like a push, every ref must name an object the pack brought, and
// everything is fsynced before it returns.
func RestoreSnapshot(ctx context.Context, dir string, pack io.Reader, snap RefSnapshot) error {
	if snap.Head == "" {
		snap.Head = MainBranch
	}
	if err := CheckRefName(snap.Head); err != nil || !strings.HasPrefix(snap.Head, "refs/heads/") {
		return wiki.Errorf(wiki.EINVALID, "snapshot HEAD %q is not a branch", snap.Head)
	}
	if err := layoutEmpty(dir, snap.Head); err != nil {
		return err
	}
	repo, err := OpenRepo(dir)
	if err != nil {
		return err
	}
	defer repo.Close()
	in, err := gitpack.ReceivePackFile(repo, pack, restoreLimits)
	if err != nil {
		return err
	}
	if err := in.Install(); err != nil {
		in.Discard()
		return err
	}
	if err := repo.Reload(); err != nil {
		return err
	}
	if err := restoreRefs(ctx, repo, snap.Refs); err != nil {
		return err
	}
	return durable.SyncTrees([]string{dir})
}

// restoreRefs creates each ref, after checking its name.
func restoreRefs(ctx context.Context, repo *Repo, refs map[string]string) error {
	for _, name := range slices.Sorted(maps.Keys(refs)) {
		if err := CheckRefName(name); err != nil || !strings.HasPrefix(name, "refs/") {
			return wiki.Errorf(wiki.EINVALID, "snapshot has an invalid ref %q", name)
		}
		if err := repo.UpdateRef(ctx, name, "", refs[name]); err != nil {
			return err
		}
	}
	return nil
}

// layoutEmpty makes the directories and files of an empty bare repository
// whose HEAD names head.
func layoutEmpty(dir, head string) error {
	if err := os.Mkdir(dir, 0o755); err != nil {
		return err
	}
	for _, d := range []string{"objects/info", "objects/pack", "refs/heads", "refs/tags", "info"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return err
		}
	}
	layout := map[string]string{
		"HEAD":        "ref: " + head + "\n",
		"config":      "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = true\n",
		"description": "warren wiki\n",
	}
	for name, content := range layout {
		if err := durable.WriteNewFile(filepath.Join(dir, name), []byte(content), false); err != nil {
			return err
		}
	}
	return nil
}
