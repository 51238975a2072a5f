package storage_test

import (
	"context"
	"slices"
	"testing"
)

// Backlinks count a link by the page's key, by one of its aliases, and by
// its base name only while no page at the root takes that name; a page's
// links to itself are not backlinks.
func TestBacklinksByKeyAliasAndBaseName(t *testing.T) {
	ctx := context.Background()
	files := map[string]string{
		"Guide/Start.md": "---\naliases: [Begin]\n---\n[[Start]]\n",
		"A.md":           "[[Guide/Start]]\n",
		"B.md":           "[[Begin]]\n",
		"C.md":           "[[Start]]\n",
		"D.md":           "[[Other]]\n",
	}
	for _, tc := range []struct {
		name  string
		extra map[string]string
		want  []string
	}{
		{"base name free", nil, []string{"A", "B", "C"}},
		{"base name taken at the root", map[string]string{"Start.md": "root\n"}, []string{"A", "B"}},
	} {
		all := map[string]string{}
		for k, v := range files {
			all[k] = v
		}
		for k, v := range tc.extra {
			all[k] = v
		}
		w := MustOpenWiki(t, all)
		back, err := w.Backlinks(ctx, "Guide/Start")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range back {
			got = append(got, p.Name)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: Backlinks(Guide/Start) = %v, want %v", tc.name, got, tc.want)
		}
	}
}
