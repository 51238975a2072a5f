package storage_test

import (
	"context"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// TestPreferencesSeenAcrossHandles: a second handle on the same wiki.db
// (as `warren wiki set` opens it beside the server) changes a setting, and
// the first handle, which has read and kept the old preferences, sees the
// new value on its next read — and again after several changes in a row.
func TestPreferencesSeenAcrossHandles(t *testing.T) {
	ctx := context.Background()
	server := MustOpenWiki(t, map[string]string{"Home.md": "# Home\n"})
	cli := mustOpenDir(t, server.Dir)
	for i, sidebar := range []wiki.Sidebar{wiki.SidebarTree, wiki.SidebarOff, wiki.SidebarPage, wiki.SidebarTree} {
		if _, err := server.Preferences(ctx); err != nil { // read and keep
			t.Fatal(err)
		}
		p, _ := cli.Preferences(ctx)
		p.Sidebar = sidebar
		p.HideHistoryFromViewers = i%2 == 0
		if err := cli.SetPreferences(ctx, p); err != nil {
			t.Fatal(err)
		}
		got, err := server.Preferences(ctx)
		if err != nil || got.Sidebar != sidebar || got.HideHistoryFromViewers != (i%2 == 0) {
			t.Fatalf("change %d: the server reads %+v %v, want sidebar %s", i, got, err, sidebar)
		}
	}
}
