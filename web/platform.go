package web

import (
	"net/http"
	"strings"

	"github.com/gorilla/mux"
	"github.com/warren-wiki/warren/wiki"
)

// registerPlatformRoutes adds the pages outside any wiki: the wiki list,
// wiki creation for platform admins, and each user's own tokens.
func (s *Server) registerPlatformRoutes(r *mux.Router) {
	get := []string{http.MethodGet, http.MethodHead}
	r.HandleFunc("/", s.handleWikiList).Methods(get...)
	r.HandleFunc("/-/wikis", s.handleCreateWiki).Methods(http.MethodPost)
	r.HandleFunc("/-/wikis/delete", s.handleDeleteWikiForm).Methods(get...)
	r.HandleFunc("/-/wikis/delete", s.handleDeleteWiki).Methods(http.MethodPost)
	r.HandleFunc("/-/tokens", s.handleTokens).Methods(get...)
	r.HandleFunc("/-/tokens", s.handleCreateToken).Methods(http.MethodPost)
	r.HandleFunc("/-/tokens/revoke", s.handleRevokeToken).Methods(http.MethodPost)
}

// platformData is the platform root: the wikis the caller can read and,
// for platform admins, the form that creates one.
type platformData struct {
	Wikis        []wikiEntry
	CanCreate    bool
	Form         createForm
	Visibilities []wiki.Visibility
}

// wikiEntry is one readable wiki in the list.
type wikiEntry struct {
	wiki.Wiki
	URL   string
	Role  string
	Usage *wikiUsage // nil until measured (farm_jobs.go)
}

// createForm keeps what a platform admin typed when creation was refused.
type createForm struct {
	Slug, Title, Visibility, Error string
}

// handleWikiList lists the wikis the caller may read. It asks for the role
// per wiki; a wiki the caller cannot read is not mentioned at all.
func (s *Server) handleWikiList(w http.ResponseWriter, r *http.Request) {
	s.wikiListPage(w, r, http.StatusOK, createForm{Visibility: string(wiki.Private)})
}

// wikiListPage renders the platform root with status and the create form.
func (s *Server) wikiListPage(w http.ResponseWriter, r *http.Request, status int, form createForm) {
	ctx := r.Context()
	c := wiki.CallerFrom(ctx)
	all, err := s.Robot.ListWikis(ctx)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	d := platformData{
		CanCreate:    s.isPlatformAdmin(c),
		Form:         form,
		Visibilities: []wiki.Visibility{wiki.Private, wiki.Internal, wiki.Public},
	}
	usage := s.usageForList(ctx)
	for i := range all {
		role, err := s.Robot.Role(ctx, &all[i], c)
		if err != nil {
			s.htmlError(w, r, err)
			return
		}
		if role >= wiki.RoleViewer {
			u, ok := usage[all[i].Slug]
			d.Wikis = append(d.Wikis, wikiEntry{Wiki: all[i], URL: s.wikiURL(r, all[i].Slug), Role: role.String(),
				Usage: listUsage(u, ok, role)})
		}
	}
	v := s.platformView(r, "Wikis")
	v.Data = d
	s.render(w, r, status, "platform.html", v)
}

// handleCreateWiki creates a wiki with a first home page and makes the
// creator its owner (and so its admin). Only platform admins may.
func (s *Server) handleCreateWiki(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c := wiki.CallerFrom(ctx)
	if !s.isPlatformAdmin(c) {
		s.htmlError(w, r, platformDenial(c))
		return
	}
	if err := r.ParseForm(); err != nil {
		s.htmlError(w, r, formError(err))
		return
	}
	f := createForm{
		Slug:       strings.TrimSpace(r.PostForm.Get("slug")),
		Title:      strings.TrimSpace(r.PostForm.Get("title")),
		Visibility: r.PostForm.Get("visibility"),
	}
	err := wiki.ValidateSlug(f.Slug)
	var vis wiki.Visibility
	if err == nil {
		vis, err = wiki.ParseVisibility(f.Visibility)
	}
	if err == nil {
		err = s.createWiki(r, c, f, vis)
	}
	switch wiki.ErrorCode(err) {
	case "":
		seeOther(w, r, s.wikiURL(r, f.Slug)+"?notice=created")
	case wiki.EINVALID, wiki.EEXISTS:
		f.Error = wiki.ErrorMessage(err)
		s.wikiListPage(w, r, ErrorStatus(err), f)
	default:
		s.htmlError(w, r, err)
	}
}

// createWiki writes the robot.db row and the repository with its home page.
func (s *Server) createWiki(r *http.Request, c *wiki.Caller, f createForm, vis wiki.Visibility) error {
	owner := ""
	if !c.Anonymous() {
		owner = c.Login
	}
	// The same preparation and first page as the management API's.
	nw, err := prepareNewWiki(wiki.Wiki{Slug: f.Slug, Title: f.Title, Owner: owner, Visibility: vis})
	if err != nil {
		return err
	}
	return s.Robot.CreateWiki(r.Context(), actor(r), nw, welcomePage(nw))
}

// platformDenial is the error for a platform action the caller may not take.
func platformDenial(c *wiki.Caller) error {
	if c.Anonymous() {
		return wiki.Errorf(wiki.EUNAUTHORIZED, "Sign in to do this.")
	}
	return wiki.Errorf(wiki.EFORBIDDEN, "Only platform admins may do this.")
}
