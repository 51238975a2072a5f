package web

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strconv"

	"github.com/warren-wiki/warren/storage"
	"github.com/warren-wiki/warren/storage/robot"
	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// A warm page view is answered from the farm-wide cache of rendered views
// (view_cache.go) before its wiki is taken from the pool, so it costs the
// same whether or not the wiki's SQLite handle is open: robot.db's row and
// the caller's role (both cached in memory, exact, checked together with
// one PRAGMA data_version), one small file read — the commit of the
// wiki's main branch — and the bytes.
//
// An entry is only ever stored by the view itself (fillViews around the
// home, page and recent-changes routes), for the very request path it
// answered, from a render that storage confirms was made entirely from one
// commit
// (StartViewFill / FinishViewFill). The preferences are vouched for by
// the row's settings token, renewed with every change (ApplySettings);
// the rest of what the page shows is in the key (the caller's role,
// anonymity, sign-in link, wiki list link) or compared as a value (the
// row's title, token, visibility and creation time, read before the
// render began). The signed-in name is not in the key: the page is
// rendered with a random marker in its place, and the name of whoever asks
// is spliced in, escaped as the template escapes it.

// cacheableRequest reports whether a request may be answered from, or fill,
// the cache: a GET without a query (a query may ask for a revision or a
// notice, which the cache does not hold).
func cacheableRequest(r *http.Request) bool {
	return r.Method == http.MethodGet && r.URL.RawQuery == "" && !r.URL.ForceQuery
}

// viewKeyOf is the key of the view r asks for, for caller c with role.
func (s *Server) viewKeyOf(r *http.Request, slug string, role wiki.Role, c *wiki.Caller) viewKey {
	return viewKey{
		slug: slug, path: r.URL.Path + "\x00" + r.URL.RawPath, role: role, anonymous: c.Anonymous(),
		signIn: s.signInURL(r, c.Anonymous()), platform: s.wikiPlatformURL(r),
	}
}

// serveCachedView is the resolver's Shortcut: it answers a page view from
// the cache when the entry was rendered from the wiki's current state.
func (s *Server) serveCachedView(w http.ResponseWriter, r *http.Request, info *wiki.Wiki, role wiki.Role, _ string) bool {
	if s.views == nil || !cacheableRequest(r) {
		return false
	}
	commit, ok := storage.ReadMainCommit(robot.WikiDir(s.DataDir, info.Slug))
	if !ok {
		return false
	}
	c := wiki.CallerFrom(r.Context())
	v, ok := s.views.get(s.viewKeyOf(r, info.Slug, role, c), commit, rowOf(info))
	if !ok {
		return false
	}
	if n := noteOf(w); n != nil {
		n.wiki, n.user, n.route = info.Slug, c.Login, v.route
	}
	s.usage.request(info.Slug)
	name := ""
	if v.tail != nil {
		name = attr(c.Login)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "private, no-cache")
	if v.csp != "" {
		h.Set("Content-Security-Policy", v.csp)
	}
	s.writeView(w, http.StatusOK, v.head, name, v.tail)
	return true
}

// writeView writes a page view: head, the caller's name, tail, joined in
// one buffer so that the page leaves in one write, as a rendered one does.
func (s *Server) writeView(w http.ResponseWriter, status int, head []byte, name string, tail []byte) {
	w.Header().Set("Content-Length", strconv.Itoa(len(head)+len(name)+len(tail)))
	w.WriteHeader(status)
	if name == "" && len(tail) == 0 {
		_, _ = w.Write(head)
		return
	}
	buf, _ := s.ui.bufs.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	defer s.ui.putBuf(buf)
	buf.Write(head)
	buf.WriteString(name)
	buf.Write(tail)
	_, _ = w.Write(buf.Bytes())
}

// fillViews wraps a route whose page views may be cached: it starts a fill
// before the handler reads anything, and stores what the handler rendered
// if the page view marked it (markViewFill) and storage confirms it.
func (s *Server) fillViews(fn wikiHandler) wikiHandler {
	return func(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
		if s.views == nil || !cacheableRequest(r) {
			fn(w, r, h, role)
			return
		}
		f, err := h.Store.StartViewFill(r.Context())
		if err != nil {
			s.logError(r, err)
			fn(w, r, h, role)
			return
		}
		c := wiki.CallerFrom(r.Context())
		fw := &fillWriter{ResponseWriter: w, fill: f, marker: s.whoMarker, caller: c,
			key: s.viewKeyOf(r, h.Info.Slug, role, c), row: rowOf(h.Info)}
		fn(fw, r, h, role)
		fw.finish(s, r, h.Store)
	}
}

// markViewFill tells the fill around w, if any, that v is about to be
// rendered as a cacheable page view; v then carries the name marker.
func markViewFill(w http.ResponseWriter, v *view) {
	fw, ok := w.(*fillWriter)
	if !ok || fw.view != nil {
		return
	}
	fw.view = v
	if !fw.caller.Anonymous() {
		v.whoMark = fw.marker
	}
}

// fillWriter holds back a marked page view until the fill is checked.
type fillWriter struct {
	http.ResponseWriter
	fill   storage.ViewFill
	marker string
	caller *wiki.Caller
	key    viewKey
	row    viewRow
	view   *view // the marked view; nil: pass everything through
	status int
	body   bytes.Buffer
}

func (fw *fillWriter) WriteHeader(code int) {
	if fw.view == nil {
		fw.ResponseWriter.WriteHeader(code)
		return
	}
	if fw.status == 0 {
		fw.status = code
	}
}

func (fw *fillWriter) Write(b []byte) (int, error) {
	if fw.view == nil {
		return fw.ResponseWriter.Write(b)
	}
	if fw.status == 0 {
		fw.status = http.StatusOK
	}
	return fw.body.Write(b)
}

// Unwrap lets noteOf and http.ResponseController reach the real writer.
func (fw *fillWriter) Unwrap() http.ResponseWriter { return fw.ResponseWriter }

// finish stores the held-back page (when it is a 200 made entirely from the
// fill's stamp, with the marker exactly once where the name goes) and
// writes it, with the caller's own name, to the client.
func (fw *fillWriter) finish(s *Server, r *http.Request, store *storage.Wiki) {
	if fw.view == nil || fw.status == 0 {
		return
	}
	body := fw.body.Bytes()
	head, tail := body, []byte(nil)
	split := true
	if fw.view.whoMark != "" {
		var found bool
		head, tail, found = bytes.Cut(body, []byte(fw.marker))
		split = found && !bytes.Contains(tail, []byte(fw.marker))
	}
	csp := fw.Header().Get("Content-Security-Policy")
	if split && fw.status == http.StatusOK && !fw.view.degraded && store.FinishViewFill(r.Context(), fw.fill) {
		v := &cachedView{key: fw.key, commit: fw.fill.Commit, row: fw.row, csp: csp,
			head: bytes.Clone(head), tail: bytes.Clone(tail)}
		if fw.view.whoMark != "" && v.tail == nil {
			v.tail = []byte{}
		}
		if n := noteOf(fw.ResponseWriter); n != nil {
			v.route = n.route
		}
		s.views.put(v)
	}
	if !split { // never expected: send the page with every marker replaced
		head, tail = bytes.ReplaceAll(body, []byte(fw.marker), []byte(attr(fw.caller.Login))), nil
	}
	name := ""
	if fw.view.whoMark != "" && split {
		name = attr(fw.caller.Login)
	}
	s.writeView(fw.ResponseWriter, fw.status, head, name, tail)
}

// newWhoMarker is the random stand-in for the signed-in name in a page
// being cached: letters and digits only, so the template leaves it as it
// is, and unguessable, so no page's text can contain it.
func newWhoMarker() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return "warren" + hex.EncodeToString(b[:])
}

// initViewCache sizes the cache from ViewCacheBytes; without a data
// directory the wikis' stamps cannot be read, so there is no cache.
func (s *Server) initViewCache() {
	s.whoMarker = newWhoMarker()
	if s.ViewCacheBytes < 0 || s.DataDir == "" {
		return
	}
	size := s.ViewCacheBytes
	if size == 0 {
		size = viewCacheBytes
	}
	s.views = newViewCache(size)
}

// forgetViews drops a deleted wiki's cached views: its name may be given
// to a new wiki.
func (s *Server) forgetViews(slug string) {
	if s.views != nil {
		s.views.dropWiki(slug)
	}
}
