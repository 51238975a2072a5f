package gitproto

import (
	"bufio"
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/warren-wiki/warren/storage/gitpack"
	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/wiki"
)

// advRef is one ref as the protocol advertises it.
type advRef struct {
	name   string
	hash   plumbing.Hash
	peeled plumbing.Hash // for annotated tags: the object the tag chain ends at
	isTag  bool          // hash names a tag object
}

// advRefs is a consistent-enough snapshot of a repository's refs: loose
// refs are read before packed-refs, so a concurrent pack-refs (which writes
// packed-refs before deleting the loose files) never hides a ref. Ref files
// are replaced by rename, so a ref is never seen half-written.
type advRefs struct {
	head       plumbing.Hash // zero if HEAD is unborn or dangling
	headTarget string        // the branch HEAD points at, "" if detached
	refs       []advRef      // sorted by name, excluding HEAD
}

// readRefs reads HEAD, refs/** and packed-refs of the bare repository dir.
// openRefs takes one snapshot of the refs and opens the object store that
// peels them; the whole request is then answered from that one snapshot.
func openRefs(repo *gitrepo.Repo) (*advRefs, *gitpack.ObjectStore, error) {
	refs, err := readAdvRefs(repo.Dir())
	if err != nil {
		return nil, nil, err
	}
	st, err := gitpack.OpenObjectStore(repo.Dir())
	if err != nil {
		return nil, nil, err
	}
	if err := refs.peelRefs(st); err != nil {
		st.Close()
		return nil, nil, err
	}
	return refs, st, nil
}

func readAdvRefs(dir string) (*advRefs, error) {
	values := map[string]string{} // name → hex or "ref: target"
	if err := readAdvLooseRefs(dir, "refs", values); err != nil {
		return nil, err
	}
	if err := readAdvPackedRefs(dir, values); err != nil {
		return nil, err
	}
	out := &advRefs{}
	for name := range values {
		h, ok := resolveAdvRef(values, name)
		if !ok {
			continue
		}
		out.refs = append(out.refs, advRef{name: name, hash: h})
	}
	sort.Slice(out.refs, func(i, j int) bool { return out.refs[i].name < out.refs[j].name })
	head, err := os.ReadFile(filepath.Join(dir, "HEAD"))
	if err != nil {
		return nil, wiki.Errorf(wiki.EINTERNAL, "read HEAD: %v", err)
	}
	hv := strings.TrimSpace(string(head))
	if target, ok := strings.CutPrefix(hv, "ref:"); ok {
		out.headTarget = strings.TrimSpace(target)
	}
	values["HEAD"] = hv
	if h, ok := resolveAdvRef(values, "HEAD"); ok {
		out.head = h
	}
	return out, nil
}

// resolveAdvRef follows symbolic refs (at most five deep, like git).
func resolveAdvRef(values map[string]string, name string) (plumbing.Hash, bool) {
	for range 5 {
		v, ok := values[name]
		if !ok {
			return plumbing.ZeroHash, false
		}
		if target, ok := strings.CutPrefix(v, "ref:"); ok {
			name = strings.TrimSpace(target)
			continue
		}
		return gitpack.ParseOID(v)
	}
	return plumbing.ZeroHash, false
}

func readAdvLooseRefs(dir, rel string, values map[string]string) error {
	entries, err := os.ReadDir(filepath.Join(dir, filepath.FromSlash(rel)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return wiki.Errorf(wiki.EINTERNAL, "read refs: %v", err)
	}
	for _, e := range entries {
		name := rel + "/" + e.Name()
		if e.IsDir() {
			if err := readAdvLooseRefs(dir, name, values); err != nil {
				return err
			}
			continue
		}
		if strings.HasSuffix(name, ".lock") || !advertisableRef(name) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if errors.Is(err, fs.ErrNotExist) {
			continue // deleted while we listed
		}
		if err != nil {
			return wiki.Errorf(wiki.EINTERNAL, "read ref %s: %v", name, err)
		}
		if v := strings.TrimSpace(string(b)); v != "" {
			values[name] = v
		}
	}
	return nil
}

// readAdvPackedRefs adds packed refs that have no loose file.
func readAdvPackedRefs(dir string, values map[string]string) error {
	b, err := os.ReadFile(filepath.Join(dir, "packed-refs"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return wiki.Errorf(wiki.EINTERNAL, "read packed-refs: %v", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' || line[0] == '^' {
			continue
		}
		hex, name, ok := strings.Cut(line, " ")
		if !ok || !advertisableRef(name) {
			continue
		}
		if _, loose := values[name]; !loose {
			values[name] = hex
		}
	}
	return sc.Err()
}

// advertisableRef keeps names that could confuse the pkt-line format (spaces,
// control characters) out of the advertisement.
func advertisableRef(name string) bool {
	if !strings.HasPrefix(name, "refs/") || strings.Contains(name, "..") {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; c <= ' ' || c == 0x7f || c == '^' || c == '~' || c == ':' || c == '\\' {
			return false
		}
	}
	return true
}

// peelRefs drops refs whose object is missing (git skips such broken refs
// too) and fills isTag and peeled for refs that name a tag object.
func (r *advRefs) peelRefs(st *gitpack.ObjectStore) error {
	kept := r.refs[:0]
	for _, ref := range r.refs {
		typ, err := st.TypeOf(ref.hash)
		if wiki.ErrorCode(err) == wiki.ENOTFOUND {
			continue
		}
		if err != nil {
			return err
		}
		if typ == gitpack.ObjTag {
			ref.isTag = true
			if ref.peeled, _, err = st.Peel(ref.hash); err != nil {
				return err
			}
		}
		kept = append(kept, ref)
	}
	r.refs = kept
	if !r.head.IsZero() && !st.Has(r.head) {
		r.head = plumbing.ZeroHash
	}
	return nil
}
