package robot_test

import (
	"context"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// Every wiki row has a settings token of its own, a renewal changes it, and
// a wiki created again under the same name gets a new one.
func TestSettingsToken(t *testing.T) {
	ctx := context.Background()
	rb, _, _ := MustOpenRobot(t)
	addWikiRow(t, rb, "acme", "olivia", wiki.Private)
	addWikiRow(t, rb, "beta", "olivia", wiki.Private)
	token := func(slug string) string {
		t.Helper()
		w, err := rb.FindWiki(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		if len(w.SettingsToken) != 32 {
			t.Fatalf("%s: token %q", slug, w.SettingsToken)
		}
		return w.SettingsToken
	}
	a, b := token("acme"), token("beta")
	if a == b {
		t.Fatalf("two wikis share the token %q", a)
	}
	if err := rb.RenewSettingsToken(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	if got := token("acme"); got == a {
		t.Errorf("renewal kept the token")
	}
	if token("beta") != b {
		t.Errorf("renewing acme's token changed beta's")
	}
	if err := rb.RenewSettingsToken(ctx, "beta", "nope"); wiki.ErrorCode(err) != wiki.ENOTFOUND {
		t.Errorf("renewing a missing wiki: %v, want ENOTFOUND", err)
	}
	if token("beta") != b {
		t.Errorf("a failed renewal changed a token")
	}
	before := token("acme")
	if _, err := rb.DB.W.Exec(`DELETE FROM wikis WHERE slug = 'acme'`); err != nil {
		t.Fatal(err)
	}
	addWikiRow(t, rb, "acme", "olivia", wiki.Private)
	if token("acme") == before {
		t.Errorf("a wiki created again kept the old one's token")
	}
}
