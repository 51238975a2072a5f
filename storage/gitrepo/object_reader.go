package gitrepo

import (
	"context"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/warren-wiki/warren/storage/gitpack"
	"github.com/warren-wiki/warren/wiki"
)

// ObjectReader reads a repository's objects straight from its pack files
// and loose objects through gitpack's object store (packs read with pread,
// a small delta cache whose buffers are reused, nothing hashed), bypassing
// the repository's go-git object cache: for jobs that read many objects
// once, such as indexing a push, which would otherwise fill that cache with
// objects no view needs and keep them there. The packs are not mapped, so
// the pages a job touches all over a big pack do not count as the
// process's resident memory (they stay in the kernel's page cache). It is
// not safe for concurrent use.
//
// Objects a commit of this process wrote are still in memory (fresh) and
// are read from there; the packs are opened only at the first object that
// is not, so that indexing a save, which reads little besides the objects
// the save itself just wrote, does not open and index every pack.
type ObjectReader struct {
	r  *Repo
	st *gitpack.ObjectStore
}

// OpenReader opens a reader over the objects on disk now (and those this
// process wrote, before they are flushed).
func (r *Repo) OpenReader() (*ObjectReader, error) {
	return &ObjectReader{r: r}, nil
}

// read returns an object's type and content, fresh ones first; the content
// is valid until the next read.
func (o *ObjectReader) read(h plumbing.Hash) (int, []byte, error) {
	if t, data, ok := o.r.freshData(h); ok {
		return int(t), data, nil
	}
	if o.st == nil {
		st, err := gitpack.OpenObjectStore(o.r.dir)
		if err != nil {
			return 0, nil, err
		}
		o.st = st
	}
	return o.st.Read(h)
}

// ReadBlob returns a copy of a blob's content by id.
func (o *ObjectReader) ReadBlob(ctx context.Context, id string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	h, ok := gitpack.ParseOID(id)
	if !ok {
		return nil, wiki.Errorf(wiki.ENOTFOUND, "blob %q not found", id)
	}
	typ, data, err := o.read(h)
	if err != nil {
		return nil, err
	}
	if plumbing.ObjectType(typ) != plumbing.BlobObject {
		return nil, wiki.Errorf(wiki.ENOTFOUND, "object %s is not a blob", id)
	}
	return append([]byte(nil), data...), nil
}

// Close releases the object store: its open packs and delta cache.
func (o *ObjectReader) Close() {
	if o.st != nil {
		o.st.Close()
		o.st = nil
	}
}
