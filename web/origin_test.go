package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/web"
	"github.com/warren-wiki/warren/wiki"
)

// stateChanging lists a request for every state-changing route, as the
// wiki's owner (alice, through the proxy) would send it.
func stateChanging() []Request {
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	f := func(path, body string) Request { return Request{Method: "POST", Path: path, Headers: form, Body: body} }
	return []Request{
		f("/acme/-/edit/Home", "content=x"), f("/acme/-/preview", "content=x"), f("/acme/-/draft/Home", "content=x"),
		f("/acme/-/discard-draft/Home", ""), f("/acme/-/delete/Home", ""), f("/acme/-/rename/Home", "to=Other"),
		f("/acme/-/attachments/Home", ""), f("/acme/-/delete-attachment/Home", "name=a.png"),
		f("/acme/-/settings/grants", "principal=bob&role=viewer"), f("/acme/-/settings/grants/revoke", "principal=bob"),
		f("/-/wikis", "slug=evil"), f("/-/tokens", "name=t"), f("/-/tokens/revoke", "id=1"),
		{Method: "PUT", Path: "/acme/-/api/pages/Home", Body: `{"content":"x"}`},
		{Method: "DELETE", Path: "/acme/-/api/pages/Home"},
		{Method: "POST", Path: "/acme/-/mcp", Headers: map[string]string{"Content-Type": "application/json"}, Body: `{}`},
	}
}

// TestCrossSiteOtherSchemeRefused: a browser on another origin that differs
// from warren's only by scheme (https on a plain-HTTP server, and the
// reverse), or by port, or that is another wiki's host, is refused on every
// state-changing route when it sends Origin without Sec-Fetch-Site.
func TestCrossSiteOtherSchemeRefused(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "alice", wiki.Private, nil)
	u, _ := url.Parse(ts.URL)
	for _, origin := range []string{"https://" + u.Host, "http://" + u.Hostname() + ":1", "https://evil.example", "null"} {
		for _, r := range stateChanging() {
			r.As = "root"
			r.Headers = merge(r.Headers, map[string]string{"Origin": origin})
			if st, _, body := ts.Do(t, r); st != 403 || !strings.Contains(body, "Cross-origin") {
				t.Fatalf("%s %s with Origin %s: %d %.200s, want 403", r.Method, r.Path, origin, st, body)
			}
		}
	}
	for _, r := range stateChanging() { // the site's own origin passes the check
		r.As = "root"
		r.Headers = merge(r.Headers, map[string]string{"Origin": "http://" + u.Host})
		if st, _, body := ts.Do(t, r); st == 403 && strings.Contains(body, "Cross-origin") {
			t.Fatalf("%s %s from the site's own origin was refused", r.Method, r.Path)
		}
	}
}

// TestOriginBehindTLSProxy: behind a trusted proxy that terminates TLS,
// the browser's https origin is the site's when the proxy says so
// (X-Forwarded-Proto, X-Forwarded-Host) or when --public-url names it;
// the same headers from an untrusted peer count for nothing.
func TestOriginBehindTLSProxy(t *testing.T) {
	save := Request{Method: "PUT", Path: "/acme/-/api/pages/Home", As: "alice", Body: `{"content":"x"}`}
	cases := []struct {
		name    string
		public  string
		headers map[string]string
		want    bool
	}{
		{"ProtoFromProxy", "", map[string]string{"Origin": "https://wiki.example.org", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "wiki.example.org"}, true},
		{"ProxyHostOtherScheme", "", map[string]string{"Origin": "http://wiki.example.org", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "wiki.example.org"}, false},
		{"PublicURL", "https://wiki.example.org", map[string]string{"Origin": "https://wiki.example.org"}, true},
		{"PublicURLDefaultPort", "https://wiki.example.org:443/", map[string]string{"Origin": "https://WIKI.example.org"}, true},
		{"PublicURLOtherScheme", "https://wiki.example.org", map[string]string{"Origin": "http://wiki.example.org"}, false},
		{"NoProtoNoPublicURL", "", map[string]string{"Origin": "https://wiki.example.org", "X-Forwarded-Host": "wiki.example.org"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := MustStartServer(t, func(s *web.Server) {
				if c.public != "" {
					p, err := web.PublicOrigin(c.public)
					if err != nil {
						t.Fatal(err)
					}
					s.PublicURLs = append(s.PublicURLs, p)
				}
			})
			ts.MustCreateWiki(t, "acme", "alice", wiki.Private, nil)
			r := save
			r.Headers = c.headers
			st, _, body := ts.Do(t, r)
			if refused := st == 403; refused == c.want {
				t.Fatalf("%d %s, want allowed=%v", st, body, c.want)
			}
		})
	}
}

// TestOriginOfAnotherWikiHostRefused: in host mode one wiki's pages may not
// post to another wiki's host, even under the same --public-url.
func TestOriginOfAnotherWikiHostRefused(t *testing.T) {
	ts := MustStartServer(t, func(s *web.Server) {
		s.BaseDomain = "example.org"
		p, _ := web.PublicOrigin("https://example.org")
		s.PublicURLs = []*url.URL{p}
	})
	ts.MustCreateWiki(t, "acme", "alice", wiki.Private, nil)
	for origin, want := range map[string]int{"https://beta.example.org": 403, "https://acme.example.org": 201, "https://example.org": 403} {
		r := Request{Method: "PUT", Path: "/-/api/pages/New", As: "alice", Body: `{"content":"x"}`,
			Headers: map[string]string{"Origin": origin, "Host": "acme.example.org"}}
		if st, _, body := ts.Do(t, r); st != want {
			t.Fatalf("Origin %s: %d %s, want %d", origin, st, body, want)
		}
	}
}
