package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// hostilePaths are in-wiki paths an attacker tries: traversal in every
// encoding, git's metadata in every disguise, odd bytes, long names,
// reserved routes.
var hostilePaths = []string{
	"/", "/Plans", "/../robot.db", "/%2e%2e/robot.db", "/..%2F..%2Frobot.db", "/a/%2E%2E/%2E%2E/etc/passwd",
	"/.git/config", "/.GIT./config", "/GIT~1/config", "/.g%E2%80%8Cit/config", "/.git%3A%3A%24INDEX_ALLOCATION/x",
	"/%00", "/a%00b", "/%07", "/%FF%FE", "/" + strings.Repeat("a", 300), "/" + strings.Repeat("a/", 600),
	"/-/edit/..%2F..%2Fx", "/-/history/%2e%2e", "/-/files/Plans/..%2F..%2Frobot.db", "/-/static/../../robot.db",
	"/-/api/pages/..%2F..", "/-/api/pages/.git/HEAD", "/-/api/search?q=%00%FF", "/-/api/pages?limit=-1&after=%00",
	"/.git/info/refs?service=git-upload-pack", "/.git/info/refs?service=../../x", "/.git/objects/info/packs",
	"/-/mcp", "/-/settings", "/-/nothing", "/-/raw/Plans", "/-/feed", "/-/feed/Plans", "/-/feed/..%2F..",
}

// TestHostileInputsNoServerErrorNoLeak sends every hostile path with every
// method and caller to a public, a private and a missing wiki. No answer
// may be a 5xx, and the private wiki must answer exactly as the missing one
// for every caller who may not read it. It logs the run's figures.
func TestHostileInputsNoServerErrorNoLeak(t *testing.T) {
	ts, token := existenceServer(t)
	ts.MustCreateWiki(t, "open", "alice", wiki.Public, map[string]string{"Plans": "# Plans\n"})
	callers := []Request{{}, {As: "mallory"}, {Headers: map[string]string{"Authorization": "Bearer " + token}},
		{Headers: map[string]string{"Authorization": "Bearer wrn_forged"}}}
	bodies := map[string]string{"GET": "", "PUT": `{"content":"x"}`, "POST": "content=x", "DELETE": ""}
	cases, fives, leaks := 0, 0, 0
	statuses := map[int]int{}
	for _, p := range hostilePaths {
		for method, body := range bodies {
			for _, c := range callers {
				r := c
				r.Method, r.Body = method, body
				for _, slug := range []string{"open", "acme", "nope"} {
					r.Path = "/" + slug + p
					st, _, _ := ts.Do(t, r)
					cases++
					statuses[st]++
					if st >= 500 {
						fives++
						t.Errorf("%s %s as %v: %d", method, r.Path, c, st)
					}
				}
				r.Path = p
				if !sameAnswer(t, ts, "acme", r) {
					leaks++
					t.Errorf("%s %s as %v: the private wiki answers unlike a missing one", method, p, c)
				}
			}
		}
	}
	t.Logf("hostile run: %d requests, %d 5xx, %d leaks; statuses %v", cases, fives, leaks, fmt.Sprint(statuses))
}

// sameAnswer is assertSameAnswer without failing.
func sameAnswer(t *testing.T, ts *TestServer, hidden string, r Request) bool {
	r1, r2 := r, r
	r1.Path, r2.Path = "/"+hidden+r.Path, "/nope"+r.Path
	st1, h1, b1 := ts.Do(t, r1)
	st2, h2, b2 := ts.Do(t, r2)
	if st1 != st2 || strings.ReplaceAll(b1, hidden, "nope") != b2 {
		return false
	}
	return fmt.Sprint(headerShape(h1, hidden)) == fmt.Sprint(headerShape(h2, "nope"))
}

// TestSearchWithNULOrBadUTF8Is400: a search for bytes the full-text index
// cannot take (NUL, invalid UTF-8) was a 500; it is a 400 in the API and
// the browser.
func TestSearchWithNULOrBadUTF8Is400(t *testing.T) {
	ts, _ := existenceServer(t)
	for _, q := range []string{"%00", "%FF%FE", "a%00b", "x%07"} {
		for _, p := range []string{"/acme/-/api/search?q=", "/acme/-/search?q="} {
			if st, _, body := ts.Do(t, Request{Path: p + q, As: "alice"}); st != 400 {
				t.Fatalf("%s%s: %d %.100s, want 400", p, q, st, body)
			}
		}
	}
}
