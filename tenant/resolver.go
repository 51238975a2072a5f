package tenant

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/warren-wiki/warren/storage/robot"
	"github.com/warren-wiki/warren/wiki"
)

// Resolver is the middleware that decides which wiki a request is for. It
// looks the wiki up in robot.db (a request never creates a wiki), takes it
// from the Pool for the length of the request, and hands the Wiki handler a
// request whose context carries the Handle and whose path is relative to
// the wiki root, so the wiki's routes are the same in path and host mode.
//
// It holds no lock while a handler runs: requests for different wikis run
// fully in parallel.
type Resolver struct {
	Robot      *robot.Robot
	Pool       *Pool
	BaseDomain string       // host mode when set: wiki acme is acme.BaseDomain
	Wiki       http.Handler // serves one wiki; paths relative to its root
	Platform   http.Handler // serves the root: wiki list, /-/ pages, assets
	// Shortcut, if set, may answer a request for a wiki the caller may read
	// before the wiki is taken from the Pool, from memory that needs no
	// open wiki (web's cache of rendered views); it reports whether it
	// answered. It gets the request as Wiki would (the in-wiki path), the
	// wiki's row, the caller's role on it and the wiki's root URL path.
	Shortcut func(w http.ResponseWriter, r *http.Request, info *wiki.Wiki, role wiki.Role, root string) bool
	// Fail answers a request that cannot reach its wiki (unknown, invalid,
	// unavailable) with the status web maps the error's code to. Nil writes
	// a bare 500, which is only fit for tests.
	Fail func(http.ResponseWriter, *http.Request, error)
}

// route is where a request goes.
type route struct {
	slug     string // "" = platform
	path     string // in-wiki path (decoded)
	rawPath  string // in-wiki path as sent, when it differs from the default encoding
	root     string // URL path of the wiki root
	redirect string // answer with a redirect here instead
}

// ServeHTTP routes the request to the platform or to its wiki.
func (rv *Resolver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var rt route
	var err error
	if rv.BaseDomain != "" {
		rt, err = routeHost(r, rv.BaseDomain)
	} else {
		rt, err = routePath(r)
	}
	switch {
	case err != nil:
		rv.fail(w, r, err)
	case rt.redirect != "":
		http.Redirect(w, r, rt.redirect, http.StatusPermanentRedirect)
	case rt.slug == "":
		rv.Platform.ServeHTTP(w, r)
	case strings.HasPrefix(rt.path, "/-/static/"):
		rv.serveStatic(w, r, rt)
	default:
		rv.serveWiki(w, r, rt)
	}
}

// serveStatic serves the platform's static files under a wiki root without
// looking the wiki up: pages link them relative to their host, and the
// answer must be the same for every wiki name, existing, private or not.
func (rv *Resolver) serveStatic(w http.ResponseWriter, r *http.Request, rt route) {
	r2 := *r
	u := *r.URL
	u.Path, u.RawPath = rt.path, rt.rawPath
	r2.URL = &u
	rv.Platform.ServeHTTP(w, &r2)
}

// serveWiki looks the wiki up, holds it open for the request and calls the
// Wiki handler with the Handle in the context and the in-wiki path.
func (rv *Resolver) serveWiki(w http.ResponseWriter, r *http.Request, rt route) {
	ctx := r.Context()
	info, role, err := rv.visibleWiki(ctx, rt.slug)
	if err != nil {
		rv.fail(w, r, err)
		return
	}
	r2 := *r
	u := *r.URL
	u.Path, u.RawPath = rt.path, rt.rawPath
	r2.URL = &u
	if rv.Shortcut != nil && rv.Shortcut(w, &r2, info, role, rt.root) {
		return
	}
	store, release, err := rv.Pool.Acquire(ctx, rt.slug)
	if err != nil {
		rv.fail(w, r, err)
		return
	}
	defer release()
	rv.Wiki.ServeHTTP(w, r2.WithContext(NewContext(ctx, &Handle{Info: info, Store: store, Root: rt.root})))
}

// visibleWiki returns the wiki's row and the caller's role on it if the
// request's caller may read it.
// A wiki the caller may not read gets the very error of a wiki that does not
// exist, before anything of it is opened, so that no answer (status, body,
// headers, or the time spent opening it) tells a private wiki from none.
func (rv *Resolver) visibleWiki(ctx context.Context, slug string) (*wiki.Wiki, wiki.Role, error) {
	info, role, err := rv.Robot.WikiAndRole(ctx, slug, wiki.CallerFrom(ctx))
	if wiki.ErrorCode(err) == wiki.ENOTFOUND {
		return nil, wiki.RoleNone, NoSuchWiki()
	} else if err != nil {
		return nil, wiki.RoleNone, err
	}
	if role < wiki.RoleViewer {
		return nil, wiki.RoleNone, NoSuchWiki()
	}
	return info, role, nil
}

// NoSuchWiki is the one answer for a wiki that does not exist or that the
// caller may not read. It carries no name, so that the body is the same.
func NoSuchWiki() error { return &noWikiError{err: wiki.Errorf(wiki.ENOTFOUND, "Not found.")} }

// noWikiError marks NoSuchWiki's error, so that web can answer it the way a
// git client needs (a challenge for anonymous callers), for both cases.
type noWikiError struct{ err *wiki.Error }

func (e *noWikiError) Error() string { return e.err.Error() }
func (e *noWikiError) Unwrap() error { return e.err }

// IsNoSuchWiki reports whether err is NoSuchWiki's.
func IsNoSuchWiki(err error) bool {
	var nw *noWikiError
	return errors.As(err, &nw)
}

func (rv *Resolver) fail(w http.ResponseWriter, r *http.Request, err error) {
	if rv.Fail != nil {
		rv.Fail(w, r, err)
		return
	}
	http.Error(w, wiki.ErrorMessage(err), http.StatusInternalServerError)
}

// withQuery appends the request's query to a redirect target.
func withQuery(target string, u *url.URL) string {
	if u.RawQuery != "" {
		return target + "?" + u.RawQuery
	}
	return target
}
