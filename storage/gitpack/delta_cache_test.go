package gitpack_test

import (
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/warren-wiki/warren/storage/gitpack"
	"github.com/warren-wiki/warren/storage/internal/storetest"
)

// TestDeltaCacheBoundCountsBuffers: the delta cache's bound is the memory
// it keeps, not the bytes of the objects in it. Reading the versions of a
// 256 KiB page leaves evicted 256 KiB buffers as spares; a small page read
// next is resolved into one of them, and must count at that size, or a
// cache full of large versions keeps each small object's large buffer on
// top of its bound (a clone's walk read its live heap up to twice the bound
// this way).
func TestDeltaCacheBoundCountsBuffers(t *testing.T) {
	work := mustHeavyHistory(t, 40)
	repo, in := mustReceive(t, mustPack(t, work))
	if err := in.Install(); err != nil {
		t.Fatal(err)
	}
	var big, small []plumbing.Hash
	for _, line := range strings.Split(storetest.MustGit(t, work, "rev-list", "--objects", "--all"), "\n") {
		f := strings.SplitN(line, " ", 2)
		switch {
		case len(f) < 2:
		case f[1] == "Big.md":
			big = append(big, plumbing.NewHash(f[0]))
		case strings.HasPrefix(f[1], "Page "):
			small = append(small, plumbing.NewHash(f[0]))
		}
	}
	if len(big) < 20 || len(small) < 5 {
		t.Fatalf("history has %d versions of the big page and %d small pages", len(big), len(small))
	}
	st := mustOpenStore(t, repo.Dir())
	read := func(h plumbing.Hash) {
		t.Helper()
		if _, _, err := st.Read(h); err != nil {
			t.Fatal(err)
		}
		if held, items, bound := gitpack.DeltaCacheHeld(st); held > bound && items > 1 {
			t.Fatalf("after reading %s the cache keeps %d objects in %d bytes of buffers, over its bound of %d", h, items, held, bound)
		}
	}
	for i, h := range big {
		read(h)
		if i%2 == 1 {
			read(small[(i/2)%len(small)])
		}
	}
}

// TestReadAfterPushKeepsTheReadBound: a push reads its pack through a
// cache of a larger bound; once the push is done that cache must not be
// handed, bound and all, to the next request that reads the repository.
func TestReadAfterPushKeepsTheReadBound(t *testing.T) {
	work := mustHeavyHistory(t, 6)
	repo, in := mustReceive(t, mustPack(t, work))
	objs := &gitpack.PushObjects{Repo: repo, In: in}
	for h, o := range gitObjects(t, work) {
		if _, err := objs.Read(h, o.typ); err != nil {
			t.Fatal(err)
		}
	}
	if err := in.Install(); err != nil { // closes the push's reader, releasing its cache
		t.Fatal(err)
	}
	head := plumbing.NewHash(strings.TrimSpace(storetest.MustGit(t, work, "rev-parse", "HEAD")))
	for range 4 { // each store takes a cache from the pool
		st, err := gitpack.OpenObjectStore(repo.Dir())
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := st.Read(head); err != nil {
			t.Fatal(err)
		}
		if _, _, bound := gitpack.DeltaCacheHeld(st); bound != gitpack.DeltaCacheMax {
			t.Fatalf("a read after a push caches up to %d bytes, not %d", bound, gitpack.DeltaCacheMax)
		}
		st.Close()
	}
}
