package web

import (
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/gorilla/mux"
	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// view is what every template gets: the frame around the page (which wiki,
// who is asking, with which role) and the page's own Data. Its methods build
// URLs so templates never concatenate paths themselves.
type view struct {
	Title    string
	Wiki     *wiki.Wiki // nil on platform pages
	Root     string     // URL path of the wiki root, ending in "/"
	Caller   *wiki.Caller
	Role     wiki.Role
	Platform string // URL of the platform root (the wiki list)
	Query    string // what the search box shows
	Crumbs   []crumb
	// CrumbsHTML and Header are built from the fields above by render, just
	// before the template runs; see ui_fragments.go.
	CrumbsHTML template.HTML
	Header     template.HTML
	// HeadTitle and Who are plain strings (the template still escapes
	// them) set by render: the window title and the signed-in name.
	HeadTitle string
	Who       string
	Notice    string
	Version   string
	SignIn    string // the proxy's sign-in link for anonymous callers, "" otherwise
	// Feeds are the Atom feeds the head links (the wiki's, and a page's).
	Feeds []feedLink
	// Prefs are the wiki's preferences (wiki.db) as read for this request;
	// HideHistory says the caller gets no history or attachment links.
	Prefs       wiki.Preferences
	HideHistory bool
	Data        any
	// whoMark stands in for the signed-in name in a page being cached
	// (view_serve.go); degraded says a read failed and the page shows
	// less than it should, so it must not be cached.
	whoMark  string
	degraded bool
}

// crumb is one step of the breadcrumb; the last one has no URL.
type crumb struct {
	Label string
	URL   string
}

// notices are the fixed messages a redirect may ask a page to show. Only
// keys travel in the URL, so nobody can make warren display arbitrary text.
var notices = map[string]string{
	"merged":       "Someone else changed this page while you were editing; your edit was merged with theirs.",
	"deleted":      "The page was deleted.",
	"restored":     "The page was restored to the chosen version.",
	"created":      "The wiki was created.",
	"granted":      "The grant was saved.",
	"revoked":      "The grant was revoked.",
	"token":        "The token was revoked.",
	"settings":     "The settings were saved.",
	"wiki-deleted": "The wiki was deleted.",
}

// wikiView starts the view of a page inside the request's wiki.
func (s *Server) wikiView(r *http.Request, h *tenant.Handle, role wiki.Role, title string) *view {
	prefs, err := h.Store.Preferences(r.Context())
	if err != nil {
		// The routes refuse on their own; the links fail closed.
		s.logError(r, err)
		prefs.HideHistoryFromViewers = true
	}
	v := &view{
		degraded:    err != nil,
		Prefs:       prefs,
		HideHistory: prefs.HidesHistoryFrom(role),
		Title:       title,
		Wiki:        h.Info,
		Root:        h.Root,
		Caller:      wiki.CallerFrom(r.Context()),
		Role:        role,
		Platform:    s.platformURL(r),
		Notice:      notices[r.URL.Query().Get("notice")],
		Version:     s.Version,
		SignIn:      s.signInURL(r, wiki.CallerFrom(r.Context()).Anonymous()),
	}
	if !v.HideHistory { // the feeds are the wiki's history too
		v.Feeds = []feedLink{{Title: "Recent changes", URL: h.Root + "-/feed"}}
	}
	return v
}

// platformView starts the view of a platform page (outside any wiki).
func (s *Server) platformView(r *http.Request, title string) *view {
	return &view{
		Title:    title,
		Root:     "/",
		Caller:   wiki.CallerFrom(r.Context()),
		Platform: s.platformURL(r),
		Notice:   notices[r.URL.Query().Get("notice")],
		Version:  s.Version,
		SignIn:   s.signInURL(r, wiki.CallerFrom(r.Context()).Anonymous()),
	}
}

// platformURL is where the wiki list lives: "/" in path mode; in host mode
// the base domain, reached from a wiki's host by dropping its first label.
func (s *Server) platformURL(r *http.Request) string {
	if tenant.From(r.Context()) == nil {
		return "/"
	}
	return s.wikiPlatformURL(r)
}

// wikiPlatformURL is platformURL for a request inside a wiki.
func (s *Server) wikiPlatformURL(r *http.Request) string {
	if s.BaseDomain == "" {
		return "/"
	}
	if _, rest, ok := strings.Cut(r.Host, "."); ok {
		return "//" + rest + "/"
	}
	return "/"
}

// wikiURL is a wiki's root as linked from the platform pages.
func (s *Server) wikiURL(r *http.Request, slug string) string {
	if s.BaseDomain == "" {
		return "/" + slug + "/"
	}
	return "//" + slug + "." + r.Host + "/"
}

// escapePage escapes each segment of a page name for a URL path and keeps
// the slashes, so "Team/Meeting Notes" becomes "Team/Meeting%20Notes" (and
// the page of the file "..md" gets a URL browsers keep; see wiki.EscapePage).
func escapePage(name string) string { return wiki.EscapePage(name) }

// PageURL links to a page's view.
func (v *view) PageURL(name string) string { return v.Root + escapePage(name) }

// RevURL links to a page as it was at one revision.
func (v *view) RevURL(name, rev string) string {
	return v.PageURL(name) + "?rev=" + url.QueryEscape(rev)
}

// Action links to a page action such as "edit" or "history".
func (v *view) Action(action, name string) string {
	return v.Root + "-/" + action + "/" + escapePage(name)
}

// URL links to a wiki-level path such as "-/changes".
func (v *view) URL(rel string) string { return v.Root + rel }

// IndexURL links to the page index below a folder prefix.
func (v *view) IndexURL(prefix string) string {
	if prefix == "" {
		return v.Root + "-/pages"
	}
	return v.Root + "-/pages?prefix=" + url.QueryEscape(prefix)
}

// IndexAfter links to the next screen of the index, after a page name.
func (v *view) IndexAfter(prefix, after string) string {
	q := url.Values{"after": {after}}
	if prefix != "" {
		q.Set("prefix", prefix)
	}
	return v.Root + "-/pages?" + q.Encode()
}

// IndexFolders links to the next screen of a folder's sub-folders.
func (v *view) IndexFolders(prefix, after string) string {
	q := url.Values{"folders_after": {after}}
	if prefix != "" {
		q.Set("prefix", prefix)
	}
	return v.Root + "-/pages?" + q.Encode()
}

// DiffURL links to the diff of a page between two revisions.
func (v *view) DiffURL(name, from, to string) string {
	return v.Action("diff", name) + "?from=" + url.QueryEscape(from) + "&to=" + url.QueryEscape(to)
}

// CanRead, CanEdit and IsAdmin decide which links and buttons to show; the
// handlers check the role again, so hiding a link is never the protection.
func (v *view) CanRead() bool { return v.Role >= wiki.RoleViewer }

// CanEdit reports whether the caller may edit pages of this wiki.
func (v *view) CanEdit() bool { return v.Role >= wiki.RoleEditor }

// IsAdmin reports whether the caller may change this wiki's settings.
func (v *view) IsAdmin() bool { return v.Role >= wiki.RoleAdmin }

// pageCrumbs is the breadcrumb of a page path: the wiki home, then each
// folder (linked to the index of that folder), then the page itself.
func pageCrumbs(v *view, name string) []crumb {
	cs := []crumb{{Label: v.Wiki.Title, URL: v.Root}}
	if v.Wiki.Title == "" {
		cs[0].Label = v.Wiki.Slug
	}
	parts := strings.Split(name, "/")
	for i, p := range parts[:len(parts)-1] {
		cs = append(cs, crumb{Label: p, URL: v.IndexURL(strings.Join(parts[:i+1], "/") + "/")})
	}
	return append(cs, crumb{Label: parts[len(parts)-1]})
}

// uiPageParam decodes and validates the page path captured by a route. The
// router matches on the escaped path, so decoding happens here, exactly once.
func uiPageParam(r *http.Request) (string, error) {
	return decodePage(mux.Vars(r)["page"])
}

// decodePage turns an escaped page path from a URL into a valid page name.
func decodePage(raw string) (string, error) {
	name, err := wiki.UnescapePage(raw)
	if err != nil {
		return "", err
	}
	if err := wiki.ValidatePageName(name); err != nil {
		return "", err
	}
	return name, nil
}

var revRE = regexp.MustCompile(`^[0-9a-f]{4,64}$`)

// validRev checks a revision from a URL before it reaches git: commit ids in
// hex only, so nothing that looks like an option or a ref expression passes.
func validRev(rev string) error {
	if !revRE.MatchString(rev) {
		return wiki.Errorf(wiki.EINVALID, "%q is not a revision id.", rev)
	}
	return nil
}

// seeOther redirects after a successful POST, so a reload does not repeat it.
func seeOther(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// feedLink is one Atom feed linked from a page's head.
type feedLink struct {
	Title string
	URL   string
}
