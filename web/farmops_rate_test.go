package web_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/web"
	"github.com/warren-wiki/warren/wiki"
)

// TestWriteBurstGets429WithRetryAfter: a writer past the burst gets 429
// with Retry-After and the write is not made; their reads, other writers
// (and their own token, a bucket of its own) and other wikis' readers
// carry on.
func TestWriteBurstGets429WithRetryAfter(t *testing.T) {
	ts := MustStartServer(t, func(s *web.Server) { s.Writes = web.NewWriteLimiter(0.01, 3) })
	ts.MustCreateWiki(t, "acme", "owner", wiki.Private, nil)
	ts.MustCreateWiki(t, "other", "owner", wiki.Public, nil)
	ts.MustGrant(t, "acme", "ed", wiki.RoleEditor)
	ts.MustGrant(t, "acme", "ann", wiki.RoleEditor)
	put := func(as, page string, headers map[string]string) (int, string, string) {
		st, hdr, body := ts.Do(t, Request{Method: "PUT", Path: "/acme/-/api/pages/" + page, As: as, Headers: headers, Body: `{"content":"x"}`})
		return st, hdr.Get("Retry-After"), body
	}
	for i := range 3 {
		if st, _, body := put("ed", "P"+strconv.Itoa(i), nil); st != 201 {
			t.Fatalf("write %d within the burst: %d %s", i, st, body)
		}
	}
	st, retry, body := put("ed", "P3", nil)
	secs, err := strconv.Atoi(retry)
	if st != 429 || err != nil || secs < 1 || !strings.Contains(body, `"code":"too_many_requests"`) {
		t.Fatalf("write past the burst: %d Retry-After %q %s", st, retry, body)
	}
	if st, _, _ := ts.Do(t, Request{Path: "/acme/-/api/pages/P3", As: "owner"}); st != 404 {
		t.Fatalf("the throttled write was made: %d", st)
	}
	if st, _, _ := ts.Do(t, Request{Path: "/acme/-/api/pages/P0", As: "ed"}); st != 200 {
		t.Errorf("a throttled writer's read: %d", st)
	}
	if st, _, _ := ts.Do(t, Request{Path: "/other/", As: "someone"}); st != 200 {
		t.Errorf("another wiki's read: %d", st)
	}
	if st, _, body := put("ann", "A", nil); st != 201 {
		t.Errorf("another writer: %d %s", st, body)
	}
	tok := mustToken(t, ts, "ed", "acme", wiki.RoleEditor)
	if st, _, body := put("", "T", bearer(tok)); st != 201 {
		t.Errorf("the writer's token, a bucket of its own: %d %s", st, body)
	}
	if st, hdr, _ := ts.Do(t, Request{Method: "POST", Path: "/acme/-/edit/P0", As: "ed",
		Headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, Body: "content=y"}); st != 429 || hdr.Get("Retry-After") == "" {
		t.Errorf("the editor's form save past the burst: %d", st)
	}
}
