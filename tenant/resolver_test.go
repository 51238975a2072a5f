package tenant_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/warren-wiki/warren/storage/robot"
	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// mustRobot opens a real robot.db listing the given wikis.
func mustRobot(tb testing.TB, slugs ...string) *robot.Robot {
	tb.Helper()
	rb, err := robot.OpenRobot(context.Background(), tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { rb.Close() })
	for _, s := range slugs {
		_, err := rb.DB.W.Exec(`INSERT INTO wikis (slug, title, owner, visibility, created_at)
			VALUES (?, ?, 'alice', 'public', ?)`, s, "Wiki "+s, time.Now().UTC().Format(time.RFC3339))
		if err != nil {
			tb.Fatal(err)
		}
	}
	return rb
}

// testStatus is the part of web's code→status table these tests need.
var testStatus = map[string]int{
	wiki.ENOTFOUND: http.StatusNotFound, wiki.EINVALID: http.StatusBadRequest,
	wiki.EUNAVAILABLE: http.StatusServiceUnavailable,
}

// echoWiki answers with what the resolver handed it, after checking that
// the handle is consistent and held for the length of the request.
func echoWiki(tb testing.TB, p *tenant.Pool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := tenant.From(r.Context())
		if h == nil || h.Info.Slug != h.Store.Slug {
			tb.Errorf("bad handle for %s: %+v", r.URL, h)
			return
		}
		if err := answers(h.Store); err != nil {
			tb.Errorf("%s: wiki.db closed during its request: %v", h.Info.Slug, err)
		}
		if p.Stats().Held == 0 {
			tb.Errorf("%s: wiki not held during its request", h.Info.Slug)
		}
		fmt.Fprintf(w, "wiki=%s root=%s path=%s escaped=%s query=%s",
			h.Info.Slug, h.Root, r.URL.Path, r.URL.EscapedPath(), r.URL.RawQuery)
	})
}

// newResolver serves a resolver over a real robot.db (acme, team, broken
// listed) and pool on loopback; Open fails for broken with EUNAVAILABLE.
func newResolver(t *testing.T, baseDomain string) (*httptest.Server, *tenant.Pool, *opener) {
	o := newOpener(t)
	o.setFail("broken", wiki.Errorf(wiki.EUNAVAILABLE, "wiki.db is newer than this warren"))
	p := mustPool(t, o, 4, -1)
	rv := &tenant.Resolver{
		Robot:      mustRobot(t, "acme", "team", "broken"),
		Pool:       p,
		BaseDomain: baseDomain,
		Wiki:       echoWiki(t, p),
		Platform: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if tenant.From(r.Context()) != nil {
				t.Errorf("platform request %s carries a wiki handle", r.URL)
			}
			fmt.Fprintf(w, "platform path=%s", r.URL.Path)
		}),
		Fail: func(w http.ResponseWriter, r *http.Request, err error) {
			st, ok := testStatus[wiki.ErrorCode(err)]
			if !ok {
				st = http.StatusInternalServerError
			}
			http.Error(w, wiki.ErrorCode(err)+": "+wiki.ErrorMessage(err), st)
		},
	}
	srv := httptest.NewServer(rv)
	t.Cleanup(srv.Close)
	return srv, p, o
}

type resolverCase struct {
	name, host, path string
	status           int
	body, location   string
}

func runResolverCases(t *testing.T, srv *httptest.Server, cases []resolverCase) {
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest("GET", srv.URL+tc.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tc.host != "" {
				req.Host = tc.host
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status || !strings.Contains(string(b), tc.body) {
				t.Fatalf("GET %s (Host %q) = %d %q, want %d containing %q",
					tc.path, tc.host, resp.StatusCode, b, tc.status, tc.body)
			}
			if loc := resp.Header.Get("Location"); loc != tc.location {
				t.Fatalf("Location = %q, want %q", loc, tc.location)
			}
		})
	}
}

func TestResolverPathMode(t *testing.T) {
	srv, p, o := newResolver(t, "")
	runResolverCases(t, srv, []resolverCase{
		{name: "platform root", path: "/", status: 200, body: "platform path=/"},
		{name: "platform pages", path: "/-/healthz", status: 200, body: "platform path=/-/healthz"},
		{name: "favicon", path: "/favicon.ico", status: 200, body: "platform"},
		{name: "robots.txt", path: "/robots.txt", status: 200, body: "platform"},
		{name: "wiki root", path: "/acme/", status: 200, body: "wiki=acme root=/acme/ path=/ escaped=/ query="},
		{name: "page", path: "/acme/Team/X?rev=abc", status: 200,
			body: "wiki=acme root=/acme/ path=/Team/X escaped=/Team/X query=rev=abc"},
		{name: "actions stay in the wiki", path: "/acme/-/edit/Home", status: 200, body: "wiki=acme root=/acme/ path=/-/edit/Home"},
		{name: "space in page name", path: "/acme/Team/Meeting%20Notes", status: 200,
			body: "path=/Team/Meeting Notes escaped=/Team/Meeting%20Notes"},
		{name: "encoded slash in page path kept encoded", path: "/acme/a%2Fb/c", status: 200,
			body: "path=/a/b/c escaped=/a%2Fb/c"},
		{name: "encoded letters in slug", path: "/%61cme/%C3%A9t%C3%A9", status: 200,
			body: "wiki=acme root=/acme/ path=/été escaped=/%C3%A9t%C3%A9"},
		{name: "no trailing slash redirects", path: "/acme", status: 308, location: "/acme/"},
		{name: "redirect keeps query", path: "/acme?x=1&y=2", status: 308, location: "/acme/?x=1&y=2"},
		{name: "other wiki", path: "/team/Home", status: 200, body: "wiki=team root=/team/ path=/Home"},
		{name: "unknown wiki", path: "/nope/Home", status: 404, body: wiki.ENOTFOUND},
		{name: "unknown wiki without slash", path: "/nope", status: 308, location: "/nope/"},
		{name: "invalid slug upper case", path: "/Acme/Home", status: 400, body: wiki.EINVALID},
		{name: "invalid slug underscore", path: "/a_b/", status: 400, body: wiki.EINVALID},
		{name: "invalid slug leading dash", path: "/-acme/", status: 400, body: wiki.EINVALID},
		{name: "invalid slug dot dot", path: "/../etc/passwd", status: 400, body: wiki.EINVALID},
		{name: "empty slug", path: "//acme/", status: 400, body: wiki.EINVALID},
		{name: "encoded slash in slug", path: "/ac%2Fme/x", status: 400, body: wiki.EINVALID},
		{name: "reserved name", path: "/static/app.css", status: 404, body: wiki.ENOTFOUND},
		{name: "reserved name without slash", path: "/admin", status: 404, body: wiki.ENOTFOUND},
		{name: "broken wiki", path: "/broken/", status: 503, body: "newer than this warren"},
		{name: "healthy wiki after broken one", path: "/acme/Home", status: 200, body: "wiki=acme"},
	})
	if opens, _ := o.counts("nope"); opens != 0 {
		t.Errorf("an unknown wiki was opened %d times", opens)
	}
	if st := p.Stats(); st.Held != 0 {
		t.Errorf("%d wikis still held after every request ended", st.Held)
	}
}

func TestResolverHostMode(t *testing.T) {
	srv, p, o := newResolver(t, "wiki.example.org")
	runResolverCases(t, srv, []resolverCase{
		{name: "wiki root", host: "acme.wiki.example.org", path: "/", status: 200,
			body: "wiki=acme root=/ path=/ escaped=/"},
		{name: "page", host: "acme.wiki.example.org", path: "/Team/Meeting%20Notes", status: 200,
			body: "wiki=acme root=/ path=/Team/Meeting Notes escaped=/Team/Meeting%20Notes"},
		{name: "actions", host: "acme.wiki.example.org", path: "/-/history/Home", status: 200, body: "path=/-/history/Home"},
		{name: "case and port ignored", host: "ACME.Wiki.Example.ORG:8443", path: "/X", status: 200, body: "wiki=acme root=/ path=/X"},
		{name: "trailing dot", host: "team.wiki.example.org.", path: "/X", status: 200, body: "wiki=team"},
		{name: "platform", host: "wiki.example.org", path: "/", status: 200, body: "platform path=/"},
		{name: "platform with port", host: "wiki.example.org:8080", path: "/-/healthz", status: 200, body: "platform path=/-/healthz"},
		{name: "first segment is a page here", host: "acme.wiki.example.org", path: "/acme", status: 200, body: "wiki=acme root=/ path=/acme"},
		{name: "unknown wiki", host: "nope.wiki.example.org", path: "/", status: 404},
		{name: "reserved subdomain", host: "www.wiki.example.org", path: "/", status: 404},
		{name: "nested subdomain", host: "a.acme.wiki.example.org", path: "/", status: 404},
		{name: "invalid label", host: "a_b.wiki.example.org", path: "/", status: 404},
		{name: "foreign host", host: "evil.example.com", path: "/acme/", status: 404},
		{name: "suffix without dot", host: "acmewiki.example.org", path: "/", status: 404},
		{name: "broken wiki", host: "broken.wiki.example.org", path: "/", status: 503},
	})
	if opens, _ := o.counts("nope"); opens != 0 {
		t.Errorf("an unknown wiki was opened %d times", opens)
	}
	if st := p.Stats(); st.Held != 0 {
		t.Errorf("%d wikis still held after every request ended", st.Held)
	}
}

// TestResolverWikisRunInParallel holds one wiki's request open until a
// request for another wiki has been served: with a global lock around the
// handler this test would deadlock instead of passing.
func TestResolverWikisRunInParallel(t *testing.T) {
	o := newOpener(t)
	p := mustPool(t, o, 4, -1)
	entered, proceed := make(chan struct{}), make(chan struct{})
	rv := &tenant.Resolver{
		Robot: mustRobot(t, "acme", "team"),
		Pool:  p,
		Wiki: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if tenant.From(r.Context()).Info.Slug == "acme" {
				close(entered)
				<-proceed
			}
			fmt.Fprint(w, tenant.From(r.Context()).Info.Slug)
		}),
		Platform: http.NotFoundHandler(),
	}
	var wg sync.WaitGroup
	var slow *httptest.ResponseRecorder
	wg.Go(func() {
		slow = httptest.NewRecorder()
		rv.ServeHTTP(slow, httptest.NewRequest("GET", "/acme/Home", nil))
	})
	<-entered
	fast := httptest.NewRecorder()
	rv.ServeHTTP(fast, httptest.NewRequest("GET", "/team/Home", nil))
	if fast.Code != 200 || fast.Body.String() != "team" {
		t.Fatalf("team while acme is busy: %d %q", fast.Code, fast.Body)
	}
	if st := p.Stats(); st.Held != 1 {
		t.Fatalf("held = %d while only acme's request runs, want 1", st.Held)
	}
	close(proceed)
	wg.Wait()
	if slow.Code != 200 || slow.Body.String() != "acme" {
		t.Fatalf("acme: %d %q", slow.Code, slow.Body)
	}
}

// TestResolverRewriteDoesNotTouchCallerRequest checks that the in-wiki path
// is set on a copy: middleware above the resolver (access log, metrics)
// still sees the URL the client asked for.
func TestResolverRewriteDoesNotTouchCallerRequest(t *testing.T) {
	_, p, _ := newResolver(t, "")
	rv := &tenant.Resolver{Robot: mustRobot(t, "acme"), Pool: p, Wiki: echoWiki(t, p), Platform: http.NotFoundHandler()}
	req := httptest.NewRequest("GET", "/acme/Team/Meeting%20Notes", nil)
	rec := httptest.NewRecorder()
	rv.ServeHTTP(rec, req)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "path=/Team/Meeting Notes") {
		t.Fatalf("%d %q", rec.Code, rec.Body)
	}
	if req.URL.Path != "/acme/Team/Meeting Notes" || tenant.From(req.Context()) != nil {
		t.Fatalf("caller's request changed: path %q", req.URL.Path)
	}
}
