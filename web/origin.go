package web

import (
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/warren-wiki/warren/wiki"
)

// Cross-site request forgery is refused by origin: a request that changes
// state (any method but GET, HEAD and OPTIONS) must come from a page of the
// origin it is sent to. Browsers say so with Sec-Fetch-Site (same-origin,
// or none for what the user typed); older ones only send Origin, which must
// then equal, scheme and host and port, an origin warren is served at:
//
//   - the origin of the request itself: its scheme (https when warren
//     terminates TLS, else what a trusted proxy says in X-Forwarded-Proto,
//     else http) and its host (a trusted proxy's X-Forwarded-Host, else the
//     Host header);
//   - each --public-url; in host mode its scheme and port apply to the
//     request's own host under --base-domain, so one wiki's pages never
//     pass for another's.
//
// git, API and MCP clients send neither header and pass: they are not
// browsers, and carry their credentials themselves.

// PublicOrigin parses a --public-url value to the origin it names.
func PublicOrigin(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return nil, wiki.Errorf(wiki.EINVALID, "invalid --public-url %q: want http(s)://host[:port][/path]", raw)
	}
	return &url.URL{Scheme: u.Scheme, Host: strings.ToLower(u.Host)}, nil
}

// checkOrigin refuses cross-origin state-changing requests (403).
func (s *Server) checkOrigin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.originError(r); err != nil {
			s.fail(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// originError says why r may not change anything; nil if it may.
func (s *Server) originError(r *http.Request) error {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return nil
	case "":
	default:
		return crossOrigin()
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return nil // not a browser
	}
	o, err := url.Parse(origin)
	if err != nil || o.Host == "" {
		return crossOrigin()
	}
	if s.servedAt(r, normalOrigin(o.Scheme, o.Host)) {
		return nil
	}
	return crossOrigin()
}

func crossOrigin() error {
	return wiki.Errorf(wiki.EFORBIDDEN, "Cross-origin request refused: this form must be sent from a page of this site.")
}

// servedAt reports whether origin is one warren serves r at.
func (s *Server) servedAt(r *http.Request, origin string) bool {
	host := r.Host
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if s.Proxy.trusts(r.RemoteAddr) {
		if p := strings.ToLower(firstValue(r.Header.Get("X-Forwarded-Proto"))); p == "http" || p == "https" {
			scheme = p
		}
		if h := firstValue(r.Header.Get("X-Forwarded-Host")); h != "" {
			host = h
		}
	}
	if origin == normalOrigin(scheme, host) {
		return true
	}
	for _, p := range s.PublicURLs {
		if origin == s.publicOrigin(p, host) {
			return true
		}
	}
	return false
}

// publicOrigin is the origin a --public-url gives the request's host: the
// URL's own in path mode, its scheme and port on the request's host in host
// mode (when that host is the base domain or one of its wikis).
func (s *Server) publicOrigin(p *url.URL, reqHost string) string {
	if s.BaseDomain == "" {
		return normalOrigin(p.Scheme, p.Host)
	}
	h := hostOnly(reqHost)
	base := strings.ToLower(strings.TrimSuffix(s.BaseDomain, "."))
	if h != base && !strings.HasSuffix(h, "."+base) {
		return normalOrigin(p.Scheme, p.Host)
	}
	if port := p.Port(); port != "" {
		h = net.JoinHostPort(h, port)
	}
	return normalOrigin(p.Scheme, h)
}

// normalOrigin writes scheme://host[:port] in lower case without the
// scheme's default port, so equal origins compare equal.
func normalOrigin(scheme, host string) string {
	scheme, host = strings.ToLower(scheme), strings.ToLower(host)
	if h, port, err := net.SplitHostPort(host); err == nil &&
		((scheme == "http" && port == "80") || (scheme == "https" && port == "443")) {
		host = h
		if strings.Contains(h, ":") {
			host = "[" + h + "]"
		}
	}
	return scheme + "://" + strings.TrimSuffix(host, ".")
}

// hostOnly strips the port and a trailing dot and lower-cases a host.
func hostOnly(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return strings.ToLower(strings.TrimSuffix(host, "."))
}

// firstValue is the first of a comma-separated header's values (proxies
// append theirs).
func firstValue(v string) string {
	first, _, _ := strings.Cut(v, ",")
	return strings.TrimSpace(first)
}
