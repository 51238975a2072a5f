package storage_test

import (
	"context"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// The chrome lookup binds one name per folder up from the page: the
// deepest name a page may have (1,024 bytes, 511 folders) still finds the
// root's sidebar.
func TestChromeOfTheDeepestName(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"Home.md": "home", "_Sidebar.md": "root sidebar"})
	name := strings.Repeat("a/", 511) + "bb"
	if err := wiki.ValidatePageName(name); err != nil || len(name) != 1024 {
		t.Fatalf("%d bytes: %v", len(name), err)
	}
	c, err := w.Chrome(ctx, name)
	if err != nil || c.SidebarPage != "_Sidebar" {
		t.Errorf("Chrome(deepest) = %+v, %v", c, err)
	}
}
