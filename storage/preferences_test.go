package storage_test

import (
	"context"
	"testing"

	"github.com/warren-wiki/warren/storage/internal/storetest"
	"github.com/warren-wiki/warren/wiki"
)

func TestPreferencesRoundTrip(t *testing.T) {
	tw := MustOpenWiki(t, map[string]string{"Home.md": "# Home\n"})
	ctx := context.Background()
	p, err := tw.Preferences(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if p != wiki.DefaultPreferences() {
		t.Fatalf("fresh wiki preferences = %+v, want defaults", p)
	}
	p.LinkStyle, p.Sidebar, p.RequireMessage, p.Home = wiki.LinkPageText, wiki.SidebarTree, true, "Start"
	if err := tw.SetPreferences(ctx, p); err != nil {
		t.Fatal(err)
	}
	got, err := tw.reopen(t).Preferences(ctx)
	if err != nil || got != p {
		t.Fatalf("after reopen = %+v, %v; want %+v", got, err, p)
	}
}

func TestPreferencesRefuseBadValues(t *testing.T) {
	tw := MustOpenWiki(t, map[string]string{"Home.md": "# Home\n"})
	ctx := context.Background()
	for name, p := range map[string]wiki.Preferences{
		"unknown link style": {LinkStyle: "page", Sidebar: wiki.SidebarOff},
		"unknown sidebar":    {LinkStyle: wiki.LinkTextPage, Sidebar: "left"},
		"home outside wiki":  {LinkStyle: wiki.LinkTextPage, Sidebar: wiki.SidebarOff, Home: "../etc"},
	} {
		t.Run(name, func(t *testing.T) {
			storetest.WantCode(t, tw.SetPreferences(ctx, p), wiki.EINVALID)
			got, _ := tw.Preferences(ctx)
			if got != wiki.DefaultPreferences() {
				t.Fatalf("preferences changed to %+v", got)
			}
		})
	}
}
