package storage_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/storage/internal/storetest"
	"github.com/warren-wiki/warren/wiki"
)

// searchNames runs a query and returns the names of all its hits (every
// screen, following next) and the total it reported.
func searchNames(tb testing.TB, w *testWiki, q string, limit int) ([]string, int) {
	tb.Helper()
	var names []string
	total, after := -1, ""
	for screens := 0; ; screens++ {
		res, err := w.Search(context.Background(), q, limit, after)
		if err != nil {
			tb.Fatalf("Search(%q, after %q): %v", q, after, err)
		}
		if total >= 0 && res.Total != total {
			tb.Fatalf("total changed between screens: %d then %d", total, res.Total)
		}
		total = res.Total
		for _, h := range res.Hits {
			names = append(names, h.Name)
		}
		if res.Next == "" || screens > 100 {
			return names, total
		}
		after = res.Next
	}
}

// TestSearchSyntax: prefixes, OR, -word and phrases mean what a search box
// user expects.
func TestSearchSyntax(t *testing.T) {
	w := MustOpenWiki(t, map[string]string{
		"Home.md":    "# Home\n\nWelcome.\n",
		"Kube.md":    "# Cluster\n\nWe run Kubernetes in production.\n",
		"Docker.md":  "# Containers\n\nDocker images and the build cache.\n",
		"Both.md":    "# Both\n\nDocker on Kubernetes, a cache in front.\n",
		"Phrase.md":  "# Phrase\n\nthe quick brown fox\n",
		"Reverse.md": "# Reverse\n\nbrown quick fox the\n",
	})
	cases := []struct {
		q    string
		want string
	}{
		{"kube", "Both Kube"},
		{"docker OR kubernetes", "Both Docker Kube"},
		{"docker -kubernetes", "Docker"},
		{"cache docker OR kube", "Both Docker"},
		{`"quick brown"`, "Phrase"},
		{`quick brown`, "Phrase Reverse"},
		{`fox -"quick brown"`, "Reverse"},
	}
	for _, c := range cases {
		got, total := searchNames(t, w, c.q, 20)
		if s := sorted(got); s != c.want || total != len(got) {
			t.Errorf("Search(%q) = %s (total %d), want %s", c.q, s, total, c.want)
		}
	}
}

// TestSearchTitleFirst: pages whose title matches come before pages that
// only mention the word.
func TestSearchTitleFirst(t *testing.T) {
	w := MustOpenWiki(t, map[string]string{
		"A.md": "# Alpha\n\nmentions gardening once\n",
		"B.md": "# Beta\n\ngardening gardening gardening\n",
		"Z.md": "# Gardening\n\nall about plants\n",
	})
	got, _ := searchNames(t, w, "gardening", 20)
	if len(got) != 3 || got[0] != "Z" {
		t.Errorf("hits = %v, want the titled page Z first", got)
	}
}

// TestSearchPagingAndTotal: the total counts every match and next walks
// them all, each exactly once, with no cap.
func TestSearchPagingAndTotal(t *testing.T) {
	files := map[string]string{}
	for i := range 257 {
		title := fmt.Sprintf("Page %03d", i)
		if i%50 == 0 {
			title = fmt.Sprintf("Common %03d", i) // some title hits, to cross the tiers
		}
		files[fmt.Sprintf("P%03d.md", i)] = "# " + title + "\n\ncommon words here\n"
	}
	w := MustOpenWiki(t, files)
	got, total := searchNames(t, w, "common", 10)
	if total != 257 || len(got) != 257 {
		t.Fatalf("total %d, walked %d; want 257 each", total, len(got))
	}
	seen := map[string]bool{}
	for _, n := range got {
		if seen[n] {
			t.Fatalf("%s listed twice", n)
		}
		seen[n] = true
	}
	for i, n := range got[:6] {
		if !strings.HasPrefix(w.mustPage(t, n).Title, "Common") {
			t.Errorf("hit %d = %s, want the title hits first", i, n)
		}
	}
	res, err := w.Search(context.Background(), "common", 300, "")
	if err != nil || len(res.Hits) != 200 || res.Next == "" {
		t.Errorf("a large limit is capped at 200 with a next cursor: %d hits, next %q, %v", len(res.Hits), res.Next, err)
	}
}

// TestSearchFolding: accents and ß fold both ways; snippets keep the text.
func TestSearchFolding(t *testing.T) {
	w := MustOpenWiki(t, map[string]string{
		"Menu.md":   "# Menu\n\nThe café opens at nine.\n",
		"Street.md": "# Address\n\nHauptstraße 5, Berlin\n",
		"Plain.md":  "# Plain\n\ncafe and strasse, unaccented\n",
	})
	for q, want := range map[string]string{
		"cafe": "Menu Plain", "café": "Menu Plain", "CAFÉ": "Menu Plain",
		"hauptstrasse": "Street", "Hauptstraße": "Street", "strasse": "Plain", "straße": "Plain",
	} {
		if got, _ := searchNames(t, w, q, 20); sorted(got) != want {
			t.Errorf("Search(%q) = %v, want %s", q, got, want)
		}
	}
	res, err := w.Search(context.Background(), "cafe", 20, "")
	if err != nil || !strings.Contains(res.Hits[0].Snippet+res.Hits[1].Snippet, "<mark>café</mark>") {
		t.Errorf("snippet lost the accent: %+v, %v", res, err)
	}
}

// TestSearchTags: tag:x finds pages by front-matter tag, alone or with words.
func TestSearchTags(t *testing.T) {
	w := MustOpenWiki(t, map[string]string{
		"A.md": "---\ntags: [Ops, linux]\n---\n# A\n\nkernel notes\n",
		"B.md": "---\ntags: [ops]\n---\n# B\n\nbackup notes\n",
		"C.md": "# C\n\nkernel without tags\n",
	})
	for q, want := range map[string]string{"tag:ops": "A B", "tag:OPS kernel": "A", "tag:linux tag:ops": "A", "tag:none": ""} {
		if got, _ := searchNames(t, w, q, 20); sorted(got) != want {
			t.Errorf("Search(%q) = %v, want %q", q, got, want)
		}
	}
	tags, err := w.Tags(context.Background())
	if err != nil || len(tags) != 2 || tags[0].Tag != "linux" || tags[1].Tag != "Ops" || len(tags[1].Pages) != 2 {
		t.Errorf("Tags = %+v, %v", tags, err)
	}
}

// TestSearchBadCursor: a cursor Search did not make is refused.
func TestSearchBadCursor(t *testing.T) {
	w := MustOpenWiki(t, map[string]string{"Home.md": "# Home\n\nword\n"})
	for _, c := range []string{"x", "1", "3.5", "1.-4", "1.x", "0.1", "1.1.1"} {
		_, err := w.Search(context.Background(), "word", 10, c)
		storetest.WantCode(t, err, wiki.EINVALID)
	}
}

func sorted(names []string) string {
	s := append([]string(nil), names...)
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return strings.Join(s, " ")
}

// TestSearchSeesEveryChange: the memo keeps a search's answer only until
// the indexes change — a save, an edit and a push are each found by the
// very next search, total included.
func TestSearchSeesEveryChange(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"Home.md": "# Home\n\nnothing yet\n"})
	want := func(step string, n int) {
		t.Helper()
		for range 2 { // the second answer comes from the memo
			// "zebra -lion" reuses the total of "zebra": it must not outlive a change either.
			for _, q := range []string{"zebra", "zebra -lion"} {
				res, err := w.Search(ctx, q, 10, "")
				if err != nil || res.Total != n || len(res.Hits) != n {
					t.Fatalf("%s: Search(%q) = %+v, %v; want %d hits", step, q, res, err, n)
				}
			}
		}
	}
	want("before", 0)
	res := w.mustSave(t, wiki.SaveRequest{Name: "Zoo", Content: []byte("# Zoo\n\na zebra\n")})
	want("after a save", 1)
	w.mustSave(t, wiki.SaveRequest{Name: "Zoo", Content: []byte("# Zoo\n\nno stripes\n"), BaseRevision: res.Revision})
	want("after an edit", 0)
	w.outOfBand(t, map[string]string{"Pushed.md": "# Pushed\n\nzebra crossing\n"}, "pushed by git")
	if err := w.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	want("after a push", 1)
}
