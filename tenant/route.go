package tenant

import (
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/warren-wiki/warren/wiki"
)

// platformFiles are root files that browsers and crawlers ask for by name.
var platformFiles = map[string]bool{"/favicon.ico": true, "/robots.txt": true}

// routePath routes in path mode: the first path segment names the wiki and
// the rest is the in-wiki path; the root and everything under /-/ belong to
// the platform, because page names and slugs never start with "-".
func routePath(r *http.Request) (route, error) {
	p := r.URL.Path
	if !strings.HasPrefix(p, "/") || p == "/" || p == "/-" ||
		strings.HasPrefix(p, "/-/") || platformFiles[p] {
		return route{}, nil
	}
	slug, rest, hasSlash := strings.Cut(p[1:], "/")
	if err := checkSlug(slug); err != nil {
		return route{}, err
	}
	if !hasSlash {
		return route{redirect: withQuery("/"+slug+"/", r.URL)}, nil
	}
	// The wiki's routes may match on the escaped path, so cut the slug off
	// the escaped form as well, and refuse a slug segment spelled with an
	// escaped "/" (whose decoded and escaped forms would then disagree).
	rawSlug, rawRest, ok := strings.Cut(r.URL.EscapedPath()[1:], "/")
	if dec, err := url.PathUnescape(rawSlug); !ok || err != nil || dec != slug {
		return route{}, wiki.Errorf(wiki.EINVALID, "invalid wiki name in URL")
	}
	rt := route{slug: slug, path: "/" + rest, root: Root("", slug)}
	if r.URL.RawPath != "" {
		rt.rawPath = "/" + rawRest
	}
	return rt, nil
}

// checkSlug refuses a first path segment that cannot name a wiki.
func checkSlug(slug string) error {
	if wiki.IsReservedSlug(slug) {
		return NoSuchWiki() // a platform name, never a wiki
	}
	return wiki.ValidateSlug(slug)
}

// routeHost routes in host mode: acme.BaseDomain is wiki acme with the whole
// path inside it, BaseDomain itself is the platform, and any other host is
// not ours. Host names compare without port and case.
func routeHost(r *http.Request, base string) (route, error) {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	base = strings.ToLower(strings.TrimSuffix(base, "."))
	if host == base {
		return route{}, nil
	}
	slug, ok := strings.CutSuffix(host, "."+base)
	if !ok || wiki.ValidateSlug(slug) != nil {
		return route{}, NoSuchWiki()
	}
	p := r.URL.Path
	if p == "" {
		p = "/"
	}
	return route{slug: slug, path: p, rawPath: r.URL.RawPath, root: "/"}, nil
}

// Root is the URL path of a wiki's root, the one rule for it: "/acme/" in
// path mode, "/" in host mode (baseDomain set), where the host names the
// wiki.
func Root(baseDomain, slug string) string {
	if baseDomain != "" {
		return "/"
	}
	return "/" + slug + "/"
}
