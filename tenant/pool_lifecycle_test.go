package tenant_test

import (
	"context"
	"errors"
	"testing"

	"github.com/warren-wiki/warren/storage"
	"github.com/warren-wiki/warren/wiki"
)

func TestPoolReleaseIsIdempotent(t *testing.T) {
	o := newOpener(t)
	p := mustPool(t, o, 8, -1)
	w, rel1 := mustAcquire(t, p, "aa")
	_, rel2 := mustAcquire(t, p, "aa")
	rel1()
	rel1() // must not drop the other request's reference
	p.Remove("aa")
	if isClosed(w) {
		t.Fatal("a double release closed a wiki another request holds")
	}
	if st := p.Stats(); st.Held != 1 {
		t.Fatalf("held = %d, want 1", st.Held)
	}
	rel2()
	if !isClosed(w) {
		t.Fatal("removed wiki not closed by its last release")
	}
}

func TestPoolRemove(t *testing.T) {
	o := newOpener(t)
	p := mustPool(t, o, 8, -1)
	idle, release := mustAcquire(t, p, "idle")
	release()
	p.Remove("idle")
	if !isClosed(idle) {
		t.Fatal("removed unheld wiki not closed at once")
	}

	old, release := mustAcquire(t, p, "held")
	p.Remove("held")
	if err := answers(old); err != nil {
		t.Fatalf("removed wiki closed under its holder: %v", err)
	}
	// Until its holder is done, a new acquire waits rather than open a
	// second handle beside the detached one.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := p.Acquire(ctx, "held"); !errors.Is(err, context.Canceled) {
		t.Fatalf("acquire while the removed wiki is held: err = %v, want to wait (context.Canceled)", err)
	}
	if opens, _ := o.counts("held"); opens != 1 {
		t.Fatalf("a second handle was opened beside the held one")
	}
	next := make(chan *storage.Wiki)
	go func() {
		w, rel, err := p.Acquire(context.Background(), "held")
		if err != nil {
			t.Error(err)
		} else {
			rel()
		}
		next <- w
	}()
	release() // the next open may only happen after this close
	w := <-next
	if w == old || !isClosed(old) {
		t.Fatal("acquire after remove reused the detached handle")
	}
	if opens, closes := o.counts("held"); opens != 2 || closes != 1 {
		t.Fatalf("held: %d opens, %d closes; want 2 and 1", opens, closes)
	}
	p.Remove("never-opened") // nothing to do, no panic
}

func TestPoolClose(t *testing.T) {
	o := newOpener(t)
	p := mustPool(t, o, 8, -1)
	idle, release := mustAcquire(t, p, "idle")
	release()
	held, releaseHeld := mustAcquire(t, p, "held")
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if !isClosed(idle) {
		t.Error("Close left an unheld wiki open")
	}
	if err := answers(held); err != nil {
		t.Fatalf("Close closed a wiki under its holder: %v", err)
	}
	for _, slug := range []string{"idle", "held", "other"} {
		if _, _, err := p.Acquire(context.Background(), slug); wiki.ErrorCode(err) != wiki.EUNAVAILABLE {
			t.Errorf("acquire %s after Close: err = %v, want EUNAVAILABLE", slug, err)
		}
	}
	releaseHeld()
	releaseHeld()
	if !isClosed(held) {
		t.Error("held wiki not closed by its release after Close")
	}
	if st := p.Stats(); st.Open != 0 || st.Held != 0 {
		t.Errorf("stats after Close = %+v", st)
	}
	if err := p.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	for _, slug := range []string{"idle", "held"} {
		if opens, closes := o.counts(slug); opens != 1 || closes != 1 {
			t.Errorf("%s: %d opens, %d closes; want 1 and 1", slug, opens, closes)
		}
	}
}

func TestPoolAcquirePathTraversal(t *testing.T) {
	o := newOpener(t)
	p := mustPool(t, o, 8, -1)
	for _, slug := range []string{"../acme", "acme/../../etc", "/etc", "", ".", "ACME", "static"} {
		if _, _, err := p.Acquire(context.Background(), slug); wiki.ErrorCode(err) != wiki.EINVALID {
			t.Errorf("acquire %q: err = %v, want EINVALID", slug, err)
		}
		if opens, _ := o.counts(slug); opens != 0 {
			t.Errorf("acquire %q reached Open", slug)
		}
	}
	if st := p.Stats(); st.Misses != 0 {
		t.Errorf("stats = %+v after refused slugs", st)
	}
}
