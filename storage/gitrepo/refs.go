package gitrepo

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path"
	"strings"
	"syscall"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/warren-wiki/warren/storage/gitpack"
	"github.com/warren-wiki/warren/wiki"
)

// Refs are read and written here with git's own files protocol rather than
// go-git's: go-git's SetReference rewrites a ref file in place (a reader can
// see it empty) and ignores git's "<ref>.lock" files. A writer here creates
// "<ref>.lock" with O_EXCL, reads the current value under that lock, writes
// and fsyncs the new value and renames the lock over the ref; readers read
// the loose file, else packed-refs. This is atomic for readers and respects
// a concurrent git CLI; warren's own writers also hold a kernel lock that
// dies with them (refs_guard.go), so a crash leaves no lock that blocks.

// refLockWait is how long a writer waits for a ref lock another writer (a
// git CLI) holds; refs are locked only for the instant of an update.
const refLockWait = 500 * time.Millisecond

// staleLockAge is the age past which a ref lock that warren did not make (a
// git CLI's) is taken to be left by a writer that crashed: without it one
// such crash would block a wiki's saves until someone deletes the file by
// hand. Locks left by warren itself are recognised at once (refs_guard.go).
const staleLockAge = time.Minute

// Head returns the commit MainBranch points at, or "" if it is unborn.
func (r *Repo) Head(ctx context.Context) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	return r.resolveRef(MainBranch)
}

// HeadTarget returns the branch HEAD names (normally MainBranch), for the
// symref capability of a ref advertisement; "" if HEAD is detached.
func (r *Repo) HeadTarget(ctx context.Context) (string, error) {
	v, err := r.refValue("HEAD")
	if err != nil || !strings.HasPrefix(v, "ref: ") {
		return "", err
	}
	return strings.TrimPrefix(v, "ref: "), nil
}

// Refs returns every ref under refs/ with the id it points at, plus "HEAD"
// resolved to an id when the branch it names exists (use HeadTarget for the
// name). Symbolic refs under refs/ are resolved; broken ones are left out.
func (r *Repo) Refs(ctx context.Context) (map[string]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	packed, err := r.readPackedRefs()
	if err != nil {
		return nil, err
	}
	refs := map[string]string{}
	for name, id := range packed {
		refs[name] = id
	}
	err = fs.WalkDir(r.root.FS(), "refs", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // removed while we walked
			}
			return err
		}
		if d.IsDir() || strings.HasSuffix(name, ".lock") || CheckRefName(name) != nil {
			return nil
		}
		if id, err := r.resolveRef(name); err == nil && id != "" {
			refs[name] = id
		} else {
			delete(refs, name)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if id, err := r.resolveRef("HEAD"); err == nil && id != "" {
		refs["HEAD"] = id
	}
	return refs, nil
}

// UpdateRef moves ref name from old to new by compare-and-swap: old "" means
// the ref must not exist, new "" deletes it; the all-zero id counts as "".
// ECONFLICT, with nothing changed, when the ref is not at old (or another
// writer holds its lock). new must already be in the repository, durable:
// receive-pack writes and fsyncs its pack, calls Reload, then UpdateRef.
func (r *Repo) UpdateRef(ctx context.Context, name, old, new string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := CheckRefName(name); err != nil {
		return err
	}
	var err error
	if old, err = normalizeID(old); err != nil {
		return err
	}
	if new, err = normalizeID(new); err != nil {
		return err
	}
	if old == "" && new == "" {
		return wiki.Errorf(wiki.EINVALID, "ref update of %s neither creates nor deletes", name)
	}
	if new != "" {
		if ok, err := r.HasObjectSurely(plumbing.NewHash(new)); err != nil {
			return err
		} else if !ok {
			return wiki.Errorf(wiki.EINVALID, "object %s is not in the repository", new)
		}
	}
	return r.casRef(name, old, new, nil)
}

// normalizeID accepts "" or a 40-digit hex id (the zero id meaning "").
func normalizeID(id string) (string, error) {
	id = strings.ToLower(id)
	if id == "" || id == plumbing.ZeroHash.String() {
		return "", nil
	}
	if !gitpack.IsHexID(id) {
		return "", wiki.Errorf(wiki.EINVALID, "%q is not an object id", id)
	}
	return id, nil
}

// checkRefName applies git's check-ref-format rules to a name under refs/.
func CheckRefName(name string) error {
	bad := func() error { return wiki.Errorf(wiki.EINVALID, "invalid ref name %q", name) }
	if !strings.HasPrefix(name, "refs/") || len(name) > 1024 || strings.HasSuffix(name, ".") ||
		strings.Contains(name, "..") || strings.Contains(name, "@{") {
		return bad()
	}
	for _, c := range []byte(name) {
		if c < 0x20 || c == 0x7f || strings.IndexByte(" ~^:?*[\\", c) >= 0 {
			return bad()
		}
	}
	for _, comp := range strings.Split(name, "/") {
		if comp == "" || comp[0] == '.' || strings.HasSuffix(comp, ".lock") {
			return bad()
		}
	}
	return nil
}

// refValue returns a ref's raw value: an id, "ref: <target>", or "" when the
// ref exists neither loose nor packed.
func (r *Repo) refValue(name string) (string, error) {
	return r.refValueIn(r.root, name, name)
}

// refValueIn is refValue reading the loose ref as file below dir.
func (r *Repo) refValueIn(dir *os.Root, file, name string) (string, error) {
	data, err := dir.ReadFile(file)
	if err == nil {
		v := strings.TrimSpace(string(data))
		if !gitpack.IsHexID(v) && !strings.HasPrefix(v, "ref: ") {
			return "", wiki.Errorf(wiki.EINTERNAL, "ref %s is broken", name)
		}
		return v, nil
	}
	if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.EISDIR) && !errors.Is(err, syscall.ENOTDIR) {
		return "", err
	}
	packed, err := r.readPackedRefs()
	if err != nil {
		return "", err
	}
	return packed[name], nil
}

// resolveRef follows symbolic refs to an id; "" if the ref (or its target)
// does not exist.
func (r *Repo) resolveRef(name string) (string, error) {
	for range 5 {
		v, err := r.refValue(name)
		if err != nil || !strings.HasPrefix(v, "ref: ") {
			return v, err
		}
		name = strings.TrimPrefix(v, "ref: ")
	}
	return "", wiki.Errorf(wiki.EINTERNAL, "symbolic ref loop at %s", name)
}

// readPackedRefs parses packed-refs (name → id); peeled "^" lines are skipped.
func (r *Repo) readPackedRefs() (map[string]string, error) {
	data, err := r.root.ReadFile("packed-refs")
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, nil
	} else if err != nil {
		return nil, err
	}
	refs := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		id, name, ok := strings.Cut(line, " ")
		if ok && gitpack.IsHexID(id) {
			refs[name] = id
		}
	}
	return refs, sc.Err()
}

// checkNoPackedDF refuses to create refs/x/y beside a packed refs/x or the
// reverse; loose refs make the file system refuse the same by itself.
func (r *Repo) checkNoPackedDF(name string) error {
	packed, err := r.readPackedRefs()
	if err != nil {
		return err
	}
	for p := range packed {
		if strings.HasPrefix(p, name+"/") || strings.HasPrefix(name, p+"/") {
			return wiki.Errorf(wiki.ECONFLICT, "ref %s conflicts with existing ref %s", name, p)
		}
	}
	return nil
}

// deleteRefLocked removes a ref whose lock f is held: first from
// packed-refs, then the loose file, as git does, so that no reader ever sees
// an older packed value reappear.
func (r *Repo) deleteRefLocked(g *refGuard, f *os.File, name string) error {
	f.Close()
	lock := name + ".lock"
	err := r.deletePacked(g, name)
	if err == nil {
		if err = r.root.Remove(name); errors.Is(err, fs.ErrNotExist) {
			err = nil
		}
	}
	if err == nil {
		err = r.syncRootDir(path.Dir(name))
	}
	r.root.Remove(lock)
	if err != nil {
		return err
	}
	for d := path.Dir(name); strings.Count(d, "/") >= 2; d = path.Dir(d) {
		if r.root.Remove(d) != nil { // only empty directories go
			break
		}
	}
	return nil
}

// deletePacked rewrites packed-refs without name (and its peeled line).
func (r *Repo) deletePacked(g *refGuard, name string) error {
	packed, err := r.readPackedRefs()
	if err != nil || packed[name] == "" {
		return err
	}
	f, err := r.lockFile(g, r.root, "packed-refs")
	if err != nil {
		return err
	}
	data, err := r.root.ReadFile("packed-refs")
	if err != nil {
		f.Close()
		r.root.Remove("packed-refs.lock")
		return err
	}
	var out bytes.Buffer
	skipPeeled := false
	for _, line := range strings.SplitAfter(string(data), "\n") {
		if skipPeeled && strings.HasPrefix(line, "^") {
			continue
		}
		_, n, _ := strings.Cut(strings.TrimSuffix(line, "\n"), " ")
		skipPeeled = n == name && !strings.HasPrefix(line, "#")
		if !skipPeeled {
			out.WriteString(line)
		}
	}
	if err := r.writeFlushed(r.root, f, "packed-refs.lock", out.Bytes(), nil, nil); err != nil {
		return err
	}
	if err := r.root.Rename("packed-refs.lock", "packed-refs"); err != nil {
		r.root.Remove("packed-refs.lock")
		return err
	}
	return r.syncRootDir(".")
}

func short(id string) string {
	if id == "" {
		return "(none)"
	}
	if len(id) > 12 {
		return id[:12]
	}
	return id
}
