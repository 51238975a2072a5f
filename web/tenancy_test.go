package web_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// TestCrossWikiIsolation hammers two wikis that have the same page names
// with concurrent reads and writes by different users: every read must see
// only its own wiki's content and every write land only in its own wiki.
func TestCrossWikiIsolation(t *testing.T) {
	ts := MustStartServer(t)
	pages := []string{"Shared", "Team/Notes", "Plan"}
	for _, slug := range []string{"red", "blue"} {
		content := map[string]string{}
		for _, p := range pages {
			content[p] = marker(slug) + " original " + p + "\n"
		}
		ts.MustCreateWiki(t, slug, slug+"-owner", wiki.Private, content)
	}
	const workers, rounds = 8, 15
	var wg sync.WaitGroup
	errs := make(chan error, workers*2)
	for w := range workers {
		for _, slug := range []string{"red", "blue"} {
			wg.Go(func() {
				if err := hammer(t, ts, slug, pages, w, rounds); err != nil {
					errs <- err
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, slug := range []string{"red", "blue"} {
		other := map[string]string{"red": "blue", "blue": "red"}[slug]
		for _, p := range pages {
			got := mustGetPage(t, ts, "/"+slug+"/-/api/pages/"+strings.ReplaceAll(p, " ", "%20"), slug+"-owner").Content
			if strings.Contains(got, marker(other)) || !strings.Contains(got, marker(slug)) {
				t.Fatalf("%s/%s holds %s's content: %q", slug, p, other, got)
			}
		}
	}
}

// hammer reads and writes one wiki as its owner and checks each reply.
func hammer(t *testing.T, ts *TestServer, slug string, pages []string, w, rounds int) error {
	other := map[string]string{"red": "blue", "blue": "red"}[slug]
	user := slug + "-owner"
	for i := range rounds {
		p := pages[(w+i)%len(pages)]
		u := "/" + slug + "/-/api/pages/" + p
		st, _, body := ts.Do(t, Request{Path: u, As: user})
		if st != 200 {
			return fmt.Errorf("GET %s: %d %s", u, st, body)
		}
		var pg pageJSON
		MustJSON(t, body, &pg)
		if strings.Contains(pg.Content, marker(other)) || !strings.Contains(pg.Content, marker(slug)) {
			return fmt.Errorf("cross-wiki read: %s returned %q", u, pg.Content)
		}
		content := fmt.Sprintf(`{"content":"%s write %d by %d\n"}`, marker(slug), i, w)
		st, _, body = ts.Do(t, Request{Method: "PUT", Path: u, As: user,
			Headers: map[string]string{"If-Match": `"` + pg.Revision + `"`}, Body: content})
		if st != 200 && st != 412 { // 412: another worker saved first, which is fine
			return fmt.Errorf("PUT %s: %d %s", u, st, body)
		}
		// The other wiki's owner may not even see this wiki.
		if st, _, _ := ts.Do(t, Request{Path: u, As: other + "-owner"}); st != 404 {
			return fmt.Errorf("%s-owner read %s: %d, want 404", other, u, st)
		}
	}
	return nil
}

// marker is a word only one wiki's content contains.
func marker(slug string) string { return "WIKI-" + strings.ToUpper(slug) + "-MARK" }
