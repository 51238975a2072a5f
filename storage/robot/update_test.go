package robot_test

import (
	"context"
	"testing"

	"github.com/warren-wiki/warren/storage/internal/storetest"
	"github.com/warren-wiki/warren/wiki"
)

func TestUpdateWiki(t *testing.T) {
	r, _, _ := MustOpenRobot(t)
	ctx := context.Background()
	addWikiRow(t, r, "acme", "olivia", wiki.Private)
	title, vis, owner := "Acme Handbook", wiki.Public, "bruno"
	got, err := r.UpdateWiki(ctx, "admin", "acme", wiki.WikiUpdate{Title: &title, Visibility: &vis, Owner: &owner})
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != title || got.Visibility != vis || got.Owner != owner {
		t.Fatalf("UpdateWiki returned %+v", got)
	}
	w, err := r.FindWiki(ctx, "acme")
	if err != nil || w.Title != title || w.Visibility != vis || w.Owner != owner {
		t.Fatalf("row after update = %+v, %v", w, err)
	}
	if role, _ := r.Role(ctx, w, &wiki.Caller{Login: "bruno"}); role != wiki.RoleAdmin {
		t.Fatalf("new owner's role = %v, want admin", role)
	}
	entries, err := r.AuditLog(ctx, "acme", 10)
	if err != nil || len(entries) == 0 || entries[0].Action != "wiki.update" || entries[0].Actor != "admin" {
		t.Fatalf("audit = %+v, %v", entries, err)
	}
}

func TestUpdateWikiBadInputChangesNothing(t *testing.T) {
	r, _, _ := MustOpenRobot(t)
	ctx := context.Background()
	before := addWikiRow(t, r, "acme", "olivia", wiki.Private)
	bad := wiki.Visibility("everyone")
	longTitle := string(make([]byte, 300))
	group := "group:staff"
	for name, u := range map[string]wiki.WikiUpdate{
		"unknown visibility":   {Visibility: &bad},
		"control-char title":   {Title: &longTitle},
		"a group as the owner": {Owner: &group},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := r.UpdateWiki(ctx, "admin", "acme", u)
			storetest.WantCode(t, err, wiki.EINVALID)
			after, _ := r.FindWiki(ctx, "acme")
			if *after != *before {
				t.Fatalf("row changed: %+v → %+v", before, after)
			}
		})
	}
	_, err := r.UpdateWiki(ctx, "admin", "nope", wiki.WikiUpdate{})
	storetest.WantCode(t, err, wiki.ENOTFOUND)
}
