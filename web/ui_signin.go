package web

import (
	"net/http"
	"net/url"
	"strings"
)

// Decisions behind the "Sign in" link, recorded here beside the code:
//   - warren never authenticates anyone itself; the proxy does. An anonymous
//     visitor (a public wiki, or a proxy that lets some paths through) is
//     offered a link to the proxy's sign-in page, so pressing Edit or
//     opening a page that needs an account is never a dead end.
//   - --login-url may hold {rd} (this page's path and query, for proxies on
//     the same host, such as oauth2-proxy) or {url} (the absolute address,
//     for sign-in portals on their own host, such as Authelia's); each is
//     URL-encoded where it stands.
//   - Without --login-url the preset's sign-in path is used where one is
//     known; "none" turns the link off.

// DefaultLoginURL is the sign-in address of a proxy preset, "" where the
// proxy has no fixed path on warren's host (Authelia's portal lives on its
// own domain; Tailscale signs everybody in before warren sees them).
func DefaultLoginURL(preset string) string {
	switch preset {
	case "oauth2-proxy":
		return "/oauth2/start?rd={rd}"
	case "authentik":
		return "/outpost.goauthentik.io/start?rd={url}"
	}
	return ""
}

// signInURL is where the "Sign in" link of an anonymous caller points,
// coming back to the page asked for; "" when the caller is signed in or no
// login URL is configured.
func (s *Server) signInURL(r *http.Request, anonymous bool) string {
	if !anonymous || s.LoginURL == "" || s.LoginURL == "none" {
		return ""
	}
	back := r.RequestURI
	if r.Method != http.MethodGet && r.Method != http.MethodHead || back == "" {
		back = "/"
	}
	abs := requestScheme(r) + "://" + r.Host + back
	return strings.NewReplacer("{rd}", url.QueryEscape(back), "{url}", url.QueryEscape(abs)).Replace(s.LoginURL)
}

// requestScheme is the scheme the browser used: TLS here, or the proxy's
// X-Forwarded-Proto. It only shapes the caller's own return address.
func requestScheme(r *http.Request) string {
	if r.TLS != nil {
		return "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p == "https" || p == "http" {
		return p
	}
	return "http"
}
