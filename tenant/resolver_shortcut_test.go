package tenant_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// The Shortcut sees a request only once robot.db lets the caller read the
// wiki, gets it as the wiki's handler would (the in-wiki path, the row,
// the role), and when it answers the wiki is never opened.
func TestResolverShortcut(t *testing.T) {
	o := newOpener(t)
	p := mustPool(t, o, 4, -1)
	rb := mustRobot(t, "acme")
	if _, err := rb.DB.W.Exec(`INSERT INTO wikis (slug, title, owner, visibility, created_at)
		VALUES ('secret', 'Secret', 'alice', 'private', '2030-01-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	var asked []string
	rv := &tenant.Resolver{
		Robot: rb, Pool: p, Wiki: echoWiki(t, p),
		Platform: http.NotFoundHandler(),
		Shortcut: func(w http.ResponseWriter, r *http.Request, info *wiki.Wiki, role wiki.Role, root string) bool {
			asked = append(asked, fmt.Sprintf("%s %s %s %v", info.Slug, r.URL.Path, root, role))
			if r.URL.Path != "/Cached" {
				return false
			}
			fmt.Fprint(w, "from the shortcut")
			return true
		},
		Fail: func(w http.ResponseWriter, r *http.Request, err error) { http.Error(w, "no", http.StatusNotFound) },
	}
	srv := httptest.NewServer(rv)
	defer srv.Close()
	get := func(path string) (int, string) {
		resp, err := srv.Client().Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if st, body := get("/acme/Cached"); st != 200 || body != "from the shortcut" {
		t.Errorf("cached: %d %q", st, body)
	}
	if opens, _ := o.counts("acme"); opens != 0 {
		t.Errorf("the wiki was opened %d times for a request the shortcut answered", opens)
	}
	if st, body := get("/acme/Other"); st != 200 || body != "wiki=acme root=/acme/ path=/Other escaped=/Other query=" {
		t.Errorf("not cached: %d %q", st, body)
	}
	if st, _ := get("/secret/Cached"); st != 404 {
		t.Errorf("private wiki, anonymous caller: %d, want 404", st)
	}
	want := []string{"acme /Cached /acme/ viewer", "acme /Other /acme/ viewer"}
	if fmt.Sprint(asked) != fmt.Sprint(want) {
		t.Errorf("shortcut asked %q, want %q", asked, want)
	}
}
