package gitrepo

import (
	"context"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/warren-wiki/warren/storage/gitpack"
	"github.com/warren-wiki/warren/wiki"
)

// ObjectReader reads a repository's objects straight from its pack files
// and loose objects through gitpack's object store (mapped packs, a small
// delta cache whose buffers are reused, nothing hashed), bypassing the
// repository's go-git object cache: for jobs that read many objects once,
// such as indexing a push, which would otherwise fill that cache with
// objects no view needs and keep them there. The mapped packs count as the
// process's resident memory until Close, so a long job closes its reader
// between batches. It is not safe for concurrent use.
type ObjectReader struct {
	st *gitpack.ObjectStore
}

// OpenReader opens a reader over the objects on disk now.
func (r *Repo) OpenReader() (*ObjectReader, error) {
	st, err := gitpack.OpenObjectStore(r.dir)
	if err != nil {
		return nil, err
	}
	return &ObjectReader{st: st}, nil
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
	typ, data, err := o.st.Read(h)
	if err != nil {
		return nil, err
	}
	if plumbing.ObjectType(typ) != plumbing.BlobObject {
		return nil, wiki.Errorf(wiki.ENOTFOUND, "object %s is not a blob", id)
	}
	return append([]byte(nil), data...), nil
}

// Close releases the object store: its mapped packs and delta cache.
func (o *ObjectReader) Close() {
	if o.st != nil {
		o.st.Close()
		o.st = nil
	}
}
