package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gorilla/mux"
	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// registerAPIRoutes mounts the JSON API under a wiki's /-/api/.
func (s *Server) registerAPIRoutes(r *mux.Router) {
	r.HandleFunc("/pages", s.wikiRoute(wiki.RoleViewer, s.apiListPages)).Methods("GET")
	r.HandleFunc("/history/{path:.+}", s.historyRoute(wiki.RoleViewer, s.apiHistory)).Methods("GET")
	r.HandleFunc("/pages/{path:.+}/history", s.historyRoute(wiki.RoleViewer, s.apiPageHistory)).Methods("GET")
	r.HandleFunc("/pages/{path:.+}/attachments", s.historyRoute(wiki.RoleViewer, s.apiPageAttachments)).Methods("GET")
	r.HandleFunc("/pages/{path:.+}", s.wikiRoute(wiki.RoleViewer, s.apiGetPage)).Methods("GET", "HEAD")
	r.HandleFunc("/pages/{path:.+}", s.wikiRoute(wiki.RoleEditor, s.apiPutPage)).Methods("PUT")
	r.HandleFunc("/pages/{path:.+}", s.wikiRoute(wiki.RoleEditor, s.apiDeletePage)).Methods("DELETE")
	r.HandleFunc("/changes", s.historyRoute(wiki.RoleViewer, s.apiChanges)).Methods("GET")
	r.HandleFunc("/search", s.wikiRoute(wiki.RoleViewer, s.apiSearch)).Methods("GET")
	s.registerProtectAPI(r) // api_protect.go
	s.registerHistoryAPI(r) // api_history.go
	r.HandleFunc("/tree", s.wikiRoute(wiki.RoleViewer, s.apiTree)).Methods("GET")
	r.HandleFunc("/settings", s.wikiRoute(wiki.RoleAdmin, s.apiGetSettings)).Methods("GET")
	r.HandleFunc("/settings", s.wikiRoute(wiki.RoleAdmin, s.apiPatchSettings)).Methods("PATCH")
	r.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.apiError(w, r, wiki.Errorf(wiki.ENOTFOUND, "No such API endpoint."))
	})
	r.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.apiError(w, r, wiki.Errorf(wiki.EMETHOD, "Method not allowed."))
	})
}

// pageParam decodes and validates the {path} of an API URL.
func pageParam(r *http.Request) (string, error) {
	raw := mux.Vars(r)["path"]
	name, err := url.PathUnescape(raw)
	if err != nil {
		return "", wiki.Errorf(wiki.EINVALID, "page path is not valid URL encoding")
	}
	name = strings.TrimSuffix(name, wiki.PageExt)
	return name, wiki.ValidatePageName(name)
}

type apiPage struct {
	Path     string `json:"path"`
	Title    string `json:"title"`
	Content  string `json:"content"`
	Revision string `json:"revision"`
}

func (s *Server) apiGetPage(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	name, err := pageParam(r)
	if err == nil && r.URL.Query().Get("rev") != "" {
		err = s.historyVisible(r, h, role) // an old revision is history
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiGetPageNamed(w, r, h, name)
}

// apiGetPageNamed answers one page, found by the one resolver when no page
// has that exact name (or that name in another case).
func (s *Server) apiGetPageNamed(w http.ResponseWriter, r *http.Request, h *tenant.Handle, name string) {
	p, err := h.Store.Page(r.Context(), name, r.URL.Query().Get("rev"))
	if wiki.ErrorCode(err) == wiki.ENOTFOUND && r.URL.Query().Get("rev") == "" {
		if res, rerr := h.Store.Resolve(r.Context(), name); rerr == nil && res.Page != "" {
			p, err = h.Store.Page(r.Context(), res.Page, "")
		}
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	etag := `"` + p.Revision + `"`
	w.Header().Set("ETag", etag)
	if match := r.Header.Get("If-None-Match"); match != "" && match == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	writeJSON(w, http.StatusOK, apiPage{Path: p.Name, Title: p.Title, Content: string(p.Content), Revision: p.Revision})
}

type apiPutBody struct {
	Content *string `json:"content"`
	Message string  `json:"message"`
}

// apiPutPage creates a page (201) or, with If-Match, updates it (200). An
// update without If-Match is refused with 428 so that API clients can never
// overwrite a page they have not read.
func (s *Server) apiPutPage(w http.ResponseWriter, r *http.Request, h *tenant.Handle, _ wiki.Role) {
	name, err := pageParam(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var body apiPutBody
	if err := decodeJSON(r, &body); err != nil {
		s.apiError(w, r, err)
		return
	}
	if body.Content == nil {
		s.apiError(w, r, wiki.Errorf(wiki.EINVALID, `body needs a "content" string`))
		return
	}
	base, err := ifMatch(r)
	if err == nil {
		err = requireMessage(r.Context(), h.Store, body.Message)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if base != "" {
		name = s.existingPage(r, h, name) // an update goes to the page the name finds
	}
	res, err := h.Store.Save(r.Context(), wiki.SaveRequest{
		Name: name, Content: []byte(*body.Content), BaseRevision: base, Message: body.Message,
		Author: wiki.CallerFrom(r.Context()), Strict: true,
	})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.published(h, name)
	status := http.StatusOK
	if res.Created {
		status = http.StatusCreated
	}
	w.Header().Set("ETag", `"`+res.Revision+`"`)
	writeJSON(w, status, map[string]any{"path": name, "revision": res.Revision, "created": res.Created})
}

// apiDeletePage deletes a page at the revision named by If-Match.
func (s *Server) apiDeletePage(w http.ResponseWriter, r *http.Request, h *tenant.Handle, _ wiki.Role) {
	name, base, err := pageRequest(r, nil)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if base == "" {
		s.apiError(w, r, wiki.Errorf(wiki.EPRECONDITIONNEEDED, "DELETE needs If-Match with the page's revision"))
		return
	}
	name = s.existingPage(r, h, name)
	rev, err := h.Store.Delete(r.Context(), name, base, r.URL.Query().Get("message"), wiki.CallerFrom(r.Context()))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.published(h, name)
	writeJSON(w, http.StatusOK, map[string]any{"path": name, "revision": rev, "deleted": true})
}

// pageRequest reads what a write to one page carries: the page from the
// path, the JSON body into body (unless nil) and the revision If-Match
// names ("" without one).
func pageRequest(r *http.Request, body any) (name, base string, err error) {
	if name, err = pageParam(r); err != nil {
		return "", "", err
	}
	if body != nil {
		if err = decodeJSON(r, body); err != nil {
			return "", "", err
		}
	}
	base, err = ifMatch(r)
	return name, base, err
}

// ifMatch reads one strong entity tag; "*" and lists are refused because a
// revision is the only precondition the API understands.
func ifMatch(r *http.Request) (string, error) {
	v := strings.TrimSpace(r.Header.Get("If-Match"))
	if v == "" {
		return "", nil
	}
	v = strings.TrimPrefix(v, "W/")
	if len(v) < 3 || v[0] != '"' || v[len(v)-1] != '"' || strings.ContainsAny(v[1:len(v)-1], `",`) {
		return "", wiki.Errorf(wiki.EINVALID, `If-Match must be one quoted revision, e.g. "3f2a…"`)
	}
	rev := v[1 : len(v)-1]
	if !isHex(rev) {
		return "", wiki.Errorf(wiki.EINVALID, "If-Match revision is not a commit id")
	}
	return rev, nil
}

func isHex(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return false
		}
	}
	return true
}

// decodeJSON reads one JSON object; malformed input is EINVALID and an
// oversized body ETOOLARGE.
func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(v); err != nil {
		var we *wiki.Error
		if errors.As(err, &we) {
			return err // the body itself failed: too large, too slow (body.go)
		}
		return wiki.Errorf(wiki.EINVALID, "malformed JSON body: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return wiki.Errorf(wiki.EINVALID, "malformed JSON body: trailing data")
	}
	return nil
}

func (s *Server) apiListPages(w http.ResponseWriter, r *http.Request, h *tenant.Handle, _ wiki.Role) {
	q := r.URL.Query()
	limit, err := limitParam(q.Get("limit"), 100, 1000)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	pages, err := h.Store.List(r.Context(), q.Get("prefix"), q.Get("after"), limit+1)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	next := ""
	if len(pages) > limit {
		pages = pages[:limit]
		next = pages[limit-1].Name
	}
	if pages == nil {
		pages = []wiki.PageInfo{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"pages": pages, "next": next})
}

func (s *Server) apiChanges(w http.ResponseWriter, r *http.Request, h *tenant.Handle, _ wiki.Role) {
	s.writeChanges(w, r, h, "")
}

// apiSearch answers one screen of hits with the total and the cursor of
// the next screen (?after=).
func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request, h *tenant.Handle, _ wiki.Role) {
	q := r.URL.Query()
	limit, err := limitParam(q.Get("limit"), 20, 100)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := wiki.ValidateSearchQuery(q.Get("q")); err != nil {
		s.apiError(w, r, err)
		return
	}
	res, err := h.Store.Search(r.Context(), q.Get("q"), limit, q.Get("after"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// limitParam parses a page-size parameter.
func limitParam(v string, def, max int) (int, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > max {
		return 0, wiki.Errorf(wiki.EINVALID, "limit must be a number from 1 to %d", max)
	}
	return n, nil
}
