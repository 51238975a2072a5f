package web

import (
	"net/http"
	"strings"

	"github.com/gorilla/mux"
	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/robot"
	"github.com/warren-wiki/warren/wiki"
)

// The management API lives under the root's /-/api/ (platform admins; the
// grants of a wiki also its admins; tokens every signed-in user for their
// own). It answers in the API's JSON, errors included, and calls the same
// robot.db services the pages and the CLI call.

// registerPlatformAPI mounts the management API on r (/-/api/).
func (s *Server) registerPlatformAPI(r *mux.Router) {
	r.HandleFunc("/wikis", s.platformAPI(s.apiListWikis)).Methods("GET")
	r.HandleFunc("/wikis", s.platformAPI(s.apiCreateWiki)).Methods("POST")
	r.HandleFunc("/wikis/{slug}", s.platformAPI(s.apiGetWiki)).Methods("GET")
	r.HandleFunc("/wikis/{slug}", s.platformAPI(s.apiPatchWiki)).Methods("PATCH")
	r.HandleFunc("/wikis/{slug}", s.platformAPI(s.apiDeleteWiki)).Methods("DELETE")
	r.HandleFunc("/wikis/{slug}/quota", s.platformAPI(s.apiGetQuota)).Methods("GET")
	r.HandleFunc("/wikis/{slug}/quota", s.platformAPI(s.apiPutQuota)).Methods("PUT")
	r.HandleFunc("/wikis/{slug}/grants", s.apiListGrants).Methods("GET")
	r.HandleFunc("/wikis/{slug}/grants/{principal}", s.apiPutGrant).Methods("PUT")
	r.HandleFunc("/wikis/{slug}/grants/{principal}", s.apiDeleteGrant).Methods("DELETE")
	r.HandleFunc("/audit", s.apiAudit).Methods("GET")
	s.registerTokenAPI(r)
	r.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.apiError(w, r, wiki.Errorf(wiki.ENOTFOUND, "No such API endpoint."))
	})
	r.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.apiError(w, r, wiki.Errorf(wiki.EMETHOD, "Method not allowed."))
	})
}

// platformAPI runs fn for platform admins only: anonymous callers are
// asked to sign in (401), everyone else is refused (403) before anything
// is looked up, so the answer says nothing about which wikis exist.
func (s *Server) platformAPI(fn func(w http.ResponseWriter, r *http.Request, c *wiki.Caller)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := wiki.CallerFrom(r.Context())
		if !s.isPlatformAdmin(c) {
			s.apiError(w, r, platformDenial(c))
			return
		}
		fn(w, r, c)
	}
}

// apiWiki is one wiki as the management API shows it, with its usage
// (usage.go).
type apiWiki struct {
	wiki.Wiki
	Quota wiki.Quota `json:"quota"`
	Usage any        `json:"usage,omitempty"`
}

func (s *Server) apiListWikis(w http.ResponseWriter, r *http.Request, _ *wiki.Caller) {
	q := r.URL.Query()
	limit, err := limitParam(q.Get("limit"), 100, 1000)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	ws, err := s.Robot.WikisAfter(r.Context(), q.Get("after"), limit+1)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	next := ""
	if len(ws) > limit {
		ws, next = ws[:limit], ws[limit-1].Slug
	}
	quotas, err := s.Robot.QuotaOverrides(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	usage := s.usageForList(r.Context())
	out := make([]apiWiki, len(ws))
	for i, wk := range ws {
		out[i] = apiWiki{Wiki: wk, Quota: quotas[wk.Slug].Apply(s.Robot.DefaultQuota), Usage: usageOf(usage, wk.Slug)}
	}
	writeJSON(w, http.StatusOK, map[string]any{"wikis": out, "next": next})
}

// apiCreateBody is a new wiki; the owner defaults to the caller.
type apiCreateBody struct {
	Slug       string          `json:"slug"`
	Title      string          `json:"title"`
	Visibility wiki.Visibility `json:"visibility"`
	Owner      *string         `json:"owner"`
}

func (s *Server) apiCreateWiki(w http.ResponseWriter, r *http.Request, c *wiki.Caller) {
	var body apiCreateBody
	if err := decodeStrict(r, &body); err != nil {
		s.apiError(w, r, err)
		return
	}
	nw := wiki.Wiki{Slug: strings.TrimSpace(body.Slug), Title: body.Title, Visibility: body.Visibility, Owner: c.Login}
	if body.Owner != nil {
		nw.Owner = *body.Owner
	}
	nw, err := prepareNewWiki(nw)
	if err == nil {
		err = s.Robot.CreateWiki(r.Context(), actor(r), nw, welcomePage(nw))
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeWiki(w, r, http.StatusCreated, nw.Slug)
}

// prepareNewWiki validates a wiki the API or a form asks for: the slug
// (reserved names too) and the robot.db defaults.
func prepareNewWiki(nw wiki.Wiki) (wiki.Wiki, error) {
	if err := wiki.ValidateSlug(nw.Slug); err != nil {
		return nw, err
	}
	if nw.Visibility == "" {
		nw.Visibility = wiki.Private
	}
	return robot.PrepareWiki(nw)
}

// welcomePage is the first commit of a wiki made in the browser or the
// API: a home page that says what to do next.
func welcomePage(nw wiki.Wiki) []gitrepo.FileChange {
	home := "# " + nw.Title + "\n\nWelcome to your new wiki. Edit this page to get started.\n"
	return []gitrepo.FileChange{{Path: wiki.PageFile(wiki.HomePage), Content: []byte(home)}}
}

func (s *Server) apiGetWiki(w http.ResponseWriter, r *http.Request, _ *wiki.Caller) {
	s.writeWiki(w, r, http.StatusOK, mux.Vars(r)["slug"])
}

// writeWiki answers with one wiki's row and quota.
func (s *Server) writeWiki(w http.ResponseWriter, r *http.Request, status int, slug string) {
	wk, err := s.Robot.FindWiki(r.Context(), slug)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	q, err := s.Robot.Quota(r.Context(), slug)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := apiWiki{Wiki: *wk, Quota: q}
	if u, err := s.Robot.Usage(r.Context(), slug); err == nil {
		out.Usage = u
	}
	writeJSON(w, status, out)
}

// apiPatchWiki changes title, visibility or owner (fields left out stay).
func (s *Server) apiPatchWiki(w http.ResponseWriter, r *http.Request, _ *wiki.Caller) {
	var u wiki.WikiUpdate
	if err := decodeStrict(r, &u); err != nil {
		s.apiError(w, r, err)
		return
	}
	if u.Visibility != nil {
		v, err := wiki.ParseVisibility(string(*u.Visibility))
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		u.Visibility = &v
	}
	if _, err := s.Robot.UpdateWiki(r.Context(), actor(r), mux.Vars(r)["slug"], u); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeWiki(w, r, http.StatusOK, mux.Vars(r)["slug"])
}

func (s *Server) apiDeleteWiki(w http.ResponseWriter, r *http.Request, _ *wiki.Caller) {
	if err := s.deleteWiki(r, mux.Vars(r)["slug"]); err != nil {
		s.apiError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// deleteWiki deletes a wiki for the API and the pages alike: its robot.db
// row and folder, then its open handle.
func (s *Server) deleteWiki(r *http.Request, slug string) error {
	if err := wiki.ValidateSlug(slug); err != nil {
		return err
	}
	if err := s.Robot.DeleteWiki(r.Context(), actor(r), slug); err != nil {
		return err
	}
	s.Pool.Remove(slug)
	s.forgetViews(slug)
	return nil
}

func (s *Server) apiGetQuota(w http.ResponseWriter, r *http.Request, _ *wiki.Caller) {
	slug := mux.Vars(r)["slug"]
	o, err := s.Robot.QuotaOverride(r.Context(), slug)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"override": o, "default": s.Robot.DefaultQuota, "quota": o.Apply(s.Robot.DefaultQuota)})
}

// apiPutQuota replaces a wiki's own quota: {"max_bytes": N|null,
// "max_pages": N|null}; null is the server default, 0 no limit.
func (s *Server) apiPutQuota(w http.ResponseWriter, r *http.Request, _ *wiki.Caller) {
	var o wiki.QuotaOverride
	if err := decodeStrict(r, &o); err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := s.Robot.SetQuota(r.Context(), actor(r), mux.Vars(r)["slug"], o); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiGetQuota(w, r, nil)
}
