package web_test

import (
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/web"
	"github.com/warren-wiki/warren/wiki"
)

// presetHeaders are the headers each preset's proxy would send for alice.
var presetHeaders = map[string]map[string]string{
	"oauth2-proxy": {"X-Forwarded-User": "alice", "X-Forwarded-Email": "alice@example.org"},
	"authelia":     {"Remote-User": "alice", "Remote-Email": "alice@example.org", "Remote-Name": "Alice"},
	"authentik":    {"X-Authentik-Username": "alice", "X-Authentik-Email": "alice@example.org"},
	"tailscale":    {"Tailscale-User-Login": "alice", "Tailscale-User-Name": "=?utf-8?q?Alice_L=C3=A9?="},
}

// withPreset configures the identity headers of a preset, keeping the
// harness's trusted loopback.
func withPreset(name string) ServerOption {
	return func(s *web.Server) {
		p, err := web.ProxyPreset(name)
		if err != nil {
			panic(err)
		}
		p.Trusted = s.Proxy.Trusted
		s.Proxy = p
	}
}

func untrusted(s *web.Server) { s.Proxy.Trusted = []netip.Prefix{netip.MustParsePrefix("10.9.8.0/24")} }

func withSecret(s *web.Server) { s.Proxy.SecretHeader, s.Proxy.Secret = "X-Warren-Secret", "s3cret" }

// TestSpoofedIdentityHeaders is the spoofing matrix: identity headers count
// only from a trusted peer with the right secret; otherwise the caller is
// anonymous, so alice's private wiki is not even visible (404).
func TestSpoofedIdentityHeaders(t *testing.T) {
	for preset, hdrs := range presetHeaders {
		cases := []struct {
			name   string
			opts   []ServerOption
			secret string
			want   int
		}{
			{"TrustedPeer", nil, "", http.StatusOK},
			{"UntrustedPeer", []ServerOption{untrusted}, "", http.StatusNotFound},
			{"MissingSecret", []ServerOption{withSecret}, "", http.StatusNotFound},
			{"WrongSecret", []ServerOption{withSecret}, "wrong!", http.StatusNotFound},
			{"RightSecret", []ServerOption{withSecret}, "s3cret", http.StatusOK},
			{"UntrustedPeerRightSecret", []ServerOption{withSecret, untrusted}, "s3cret", http.StatusNotFound},
		}
		for _, tc := range cases {
			t.Run(preset+"/"+tc.name, func(t *testing.T) {
				ts := MustStartServer(t, append([]ServerOption{withPreset(preset)}, tc.opts...)...)
				ts.MustCreateWiki(t, "secret", "alice", wiki.Private, nil)
				h := map[string]string{}
				for k, v := range hdrs {
					h[k] = v
				}
				if tc.secret != "" {
					h["X-Warren-Secret"] = tc.secret
				}
				st, _, body := ts.Do(t, Request{Path: "/secret/-/api/pages/Home", Headers: h})
				if st != tc.want {
					t.Fatalf("status %d, want %d: %s", st, tc.want, body)
				}
			})
		}
	}
}

// TestSpoofedHeadersOnPublicWikiCommitAsAnonymous checks that a spoofed
// identity cannot write in someone's name: from an untrusted peer the
// caller is anonymous, and anonymous callers cannot edit.
func TestSpoofedHeadersOnPublicWikiCommitAsAnonymous(t *testing.T) {
	ts := MustStartServer(t, untrusted)
	ts.MustCreateWiki(t, "pub", "alice", wiki.Public, nil)
	st, _, body := ts.Do(t, Request{Method: "PUT", Path: "/pub/-/api/pages/New", As: "alice",
		Body: `{"content":"x"}`})
	if st != http.StatusUnauthorized {
		t.Fatalf("status %d, want 401: %s", st, body)
	}
}

// TestInvalidIdentityHeaderValue: a trusted proxy sending a login that is
// not valid UTF-8, or absurdly long, is refused rather than recorded.
func TestInvalidIdentityHeaderValue(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "pub", "alice", wiki.Public, nil)
	for name, v := range map[string]string{"InvalidUTF8": "al\xffice", "TooLong": strings.Repeat("a", 300)} {
		t.Run(name, func(t *testing.T) {
			st, _, _ := ts.Do(t, Request{Path: "/pub/-/api/pages/Home", Headers: map[string]string{"X-Forwarded-User": v}})
			if st != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", st)
			}
			if u, err := ts.Robot.FindUser(t.Context(), v); err == nil {
				t.Fatalf("invalid login recorded: %+v", u)
			}
		})
	}
}

// TestTokenAuth covers personal access tokens: Basic and Bearer, wrong
// tokens, scope to another wiki, and the role cap.
func TestTokenAuth(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "alice", wiki.Private, nil)
	ts.MustCreateWiki(t, "other", "alice", wiki.Private, nil)
	ctx := t.Context()
	full, _, err := ts.Robot.CreateToken(ctx, "alice", "all", "", wiki.RoleAdmin, noExpiry)
	if err != nil {
		t.Fatal(err)
	}
	scoped, _, err := ts.Robot.CreateToken(ctx, "alice", "acme-view", "acme", wiki.RoleViewer, noExpiry)
	if err != nil {
		t.Fatal(err)
	}
	put := `{"content":"hello"}`
	cases := []struct {
		name   string
		req    Request
		status int
	}{
		{"BearerReads", Request{Path: "/acme/-/api/pages/Home", Headers: bearer(full)}, 200},
		{"BasicReads", Request{Path: "/acme/-/api/pages/Home", Headers: basic(full)}, 200},
		{"WrongTokenIs401", Request{Path: "/acme/-/api/pages/Home", Headers: bearer("wrn_nope")}, 401},
		{"NoTokenPrivateIs404", Request{Path: "/acme/-/api/pages/Home"}, 404},
		{"ScopedReadsItsWiki", Request{Path: "/acme/-/api/pages/Home", Headers: bearer(scoped)}, 200},
		{"ScopedCannotSeeOtherWiki", Request{Path: "/other/-/api/pages/Home", Headers: bearer(scoped)}, 404},
		{"CappedCannotWrite", Request{Method: "PUT", Path: "/acme/-/api/pages/X", Headers: bearer(scoped), Body: put}, 403},
		{"FullTokenWrites", Request{Method: "PUT", Path: "/acme/-/api/pages/X", Headers: bearer(full), Body: put}, 201},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st, hdr, body := ts.Do(t, tc.req)
			if st != tc.status {
				t.Fatalf("status %d, want %d: %s", st, tc.status, body)
			}
			if st == 401 && hdr.Get("WWW-Authenticate") == "" {
				t.Fatal("401 without WWW-Authenticate")
			}
		})
	}
}
