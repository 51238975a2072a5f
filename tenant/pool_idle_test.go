package tenant_test

import (
	"testing"
	"testing/synctest"
	"time"
)

// TestPoolClosesIdleWikis runs on synctest's fake clock: the sweeper closes
// an unheld wiki once it has been idle for IdleTTL, never a held one however
// long it is held, and Close stops the sweeper.
func TestPoolClosesIdleWikis(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		o := newOpener(t)
		p := mustPool(t, o, 8, time.Minute)
		idle, release := mustAcquire(t, p, "idle")
		release()
		held, releaseHeld := mustAcquire(t, p, "held")

		time.Sleep(30 * time.Second)
		synctest.Wait()
		if isClosed(idle) {
			t.Fatal("wiki closed before IdleTTL passed")
		}
		time.Sleep(2 * time.Minute)
		synctest.Wait()
		if !isClosed(idle) {
			t.Fatal("idle wiki still open after IdleTTL")
		}
		if err := answers(held); err != nil {
			t.Fatalf("held wiki closed by the idle sweeper: %v", err)
		}
		if st := p.Stats(); st.Open != 1 || st.Evictions != 1 {
			t.Fatalf("stats = %+v, want 1 open, 1 eviction", st)
		}

		releaseHeld()
		time.Sleep(2 * time.Minute)
		synctest.Wait()
		if !isClosed(held) {
			t.Fatal("released wiki still open after IdleTTL")
		}
		// A closed-for-idleness wiki opens again on demand.
		again, release := mustAcquire(t, p, "idle")
		if err := answers(again); err != nil {
			t.Fatal(err)
		}
		release()
		if err := p.Close(); err != nil {
			t.Fatal(err)
		}
		if opens, closes := o.counts("idle"); opens != 2 || closes != 2 {
			t.Fatalf("idle: %d opens, %d closes; want 2 and 2", opens, closes)
		}
	})
}
