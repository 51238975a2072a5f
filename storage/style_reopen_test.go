package storage_test

import (
	"context"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// An open checks the link style, so the first view need not check it
// again; but a style another process sets between the open and that view
// still shows in it.
func TestLinkStyleChangedBeforeTheFirstViewAfterAReopen(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"Home.md": "[[Label|Target]]", "Target.md": "t", "Label.md": "l"})
	server := w.reopen(t)
	setStyleElsewhere(t, server.Dir, wiki.LinkPageText)
	if v, _ := server.View(ctx, "Home", ""); !strings.Contains(v.HTML, `href="/test/Label"`) {
		t.Errorf("the first view after the reopen renders the old style: %s", v.HTML)
	}
	again := server.reopen(t)
	if v, _ := again.View(ctx, "Home", ""); !strings.Contains(v.HTML, `href="/test/Label"`) {
		t.Errorf("the view after the next reopen renders the old style: %s", v.HTML)
	}
}
