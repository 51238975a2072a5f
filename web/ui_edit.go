package web

import (
	"errors"
	"html/template"
	"net/http"
	"strings"

	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// editData is what the editor shows.
type editData struct {
	Name         string
	Content      string
	BaseRevision string // the revision the text is based on; "" when creating
	Message      string
	Exists       bool
	Preview      template.HTML
	DraftOffered bool // the caller has kept text for this page; offer to restore it
	DraftLoaded  bool // the textarea holds that kept text
	// RequireMessage is the wiki's rule that every save has a commit
	// message; Error says why the last save was refused (the text stays).
	RequireMessage bool
	Error          string
}

// handleEdit shows the editor for a page, new or existing. The form carries
// the revision it started from, so a save can detect changes made meanwhile.
func (s *Server) handleEdit(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	name, err := uiPageParam(r)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	ctx := r.Context()
	v := s.wikiView(r, h, role, "")
	d := editData{Name: name, RequireMessage: v.Prefs.RequireMessage}
	page, err := h.Store.Page(ctx, name, "")
	switch {
	case err == nil:
		d.Name, d.Content, d.BaseRevision, d.Exists = page.Name, string(page.Content), page.Revision, true
	case wiki.ErrorCode(err) == wiki.ENOTFOUND:
		d.Content = v.Prefs.NewPageText(name) // the wiki's template for new pages
	default:
		s.htmlError(w, r, err)
		return
	}
	if err := s.offerDraft(r, h, &d); err != nil {
		s.htmlError(w, r, err)
		return
	}
	if d.Preview, err = s.preview(r, h, d.Name, d.Content); err != nil {
		s.htmlError(w, r, err)
		return
	}
	v.Title = "Edit " + wiki.PageTitle(d.Name)
	if !d.Exists {
		v.Title = "Create " + wiki.PageTitle(d.Name)
	}
	v.Crumbs = actionCrumbs(v, d.Name, "Edit")
	v.Data = d
	s.render(w, r, http.StatusOK, "edit.html", v)
}

// offerDraft looks for text the caller kept for this page (after a conflict
// or an interrupted edit). With ?draft=1 the editor is loaded with it and
// its base revision, so saving it goes through the same merge as any edit.
func (s *Server) offerDraft(r *http.Request, h *tenant.Handle, d *editData) error {
	c := wiki.CallerFrom(r.Context())
	if c.Anonymous() {
		return nil
	}
	content, base, err := h.Store.Draft(r.Context(), d.Name, c.Login)
	if wiki.ErrorCode(err) == wiki.ENOTFOUND || (err == nil && (len(content) == 0 || string(content) == d.Content)) {
		return nil
	} else if err != nil {
		return err
	}
	if r.URL.Query().Get("draft") == "1" {
		d.Content, d.BaseRevision, d.DraftLoaded = string(content), base, true
		return nil
	}
	d.DraftOffered = true
	return nil
}

// preview renders Markdown with the wiki's renderer, for the editor's pane.
func (s *Server) preview(r *http.Request, h *tenant.Handle, name, content string) (template.HTML, error) {
	html, err := h.Store.Preview(r.Context(), name, []byte(content))
	return template.HTML(html), err // sanitized by the renderer
}

// handlePreview returns the rendered HTML fragment of posted Markdown; the
// editor's script calls it (debounced) as the user types.
func (s *Server) handlePreview(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	if err := r.ParseForm(); err != nil {
		s.htmlError(w, r, formError(err))
		return
	}
	name := r.PostForm.Get("page")
	if name == "" {
		name = wiki.HomePage
	}
	if err := wiki.ValidatePageName(name); err != nil {
		s.htmlError(w, r, err)
		return
	}
	html, err := h.Store.Preview(r.Context(), name, []byte(normalizeText(r.PostForm.Get("content"))))
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(html))
}

// handleSave commits the editor's text as the caller. A save whose base
// changed meanwhile is merged by the service; if the changes overlap, the
// conflict page shows both versions and keeps the caller's text.
func (s *Server) handleSave(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	name, err := uiPageParam(r)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	base, err := editForm(r)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	content := normalizeText(r.PostForm.Get("content"))
	// An empty message gets the service's default ("Update <page>"),
	// unless the wiki requires one: then the editor comes back with the text.
	message := strings.TrimSpace(r.PostForm.Get("message"))
	if err := requireMessage(r.Context(), h.Store, message); err != nil {
		s.editAgain(w, r, h, role, editData{Name: name, Content: content, BaseRevision: base, Exists: base != "",
			RequireMessage: true, Error: wiki.ErrorMessage(err)}, err)
		return
	}
	res, err := h.Store.Save(r.Context(), wiki.SaveRequest{
		Name:         name,
		Content:      []byte(content),
		BaseRevision: base,
		Message:      message,
		Author:       wiki.CallerFrom(r.Context()),
	})
	var conflict *wiki.ConflictError
	if errors.As(err, &conflict) {
		s.conflictPage(w, r, h, role, conflict, message)
		return
	} else if err != nil {
		s.htmlError(w, r, err)
		return
	}
	s.published(h, name)
	to := h.Root + escapePage(name)
	if res.Merged {
		to += "?notice=merged"
	}
	seeOther(w, r, to)
}

// normalizeText turns the CRLF line ends browsers send into LF, so a save
// from the browser does not rewrite every line of a file written with git.
func normalizeText(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// formError maps a failure to read a form to a domain error: too large
// stays too large (via asDomain), anything else is the client's malformed body.
// editForm parses a posted editor form (save or draft) and its optional
// base revision, which must be a commit id when present.
func editForm(r *http.Request) (base string, err error) {
	if err := r.ParseForm(); err != nil {
		return "", formError(err)
	}
	base = r.PostForm.Get("base_revision")
	if base != "" {
		if err := validRev(base); err != nil {
			return "", err
		}
	}
	return base, nil
}

// urlPage reads the page named in the URL as it is at HEAD, for forms and
// lists that act on its current revision.
func urlPage(r *http.Request, h *tenant.Handle) (*wiki.Page, error) {
	name, err := uiPageParam(r)
	if err != nil {
		return nil, err
	}
	return h.Store.Page(r.Context(), name, "")
}

// pageForm reads the page a posted form acts on (from the URL) and parses
// the form.
func pageForm(r *http.Request) (string, error) {
	name, err := uiPageParam(r)
	if err != nil {
		return "", err
	}
	if err := r.ParseForm(); err != nil {
		return "", formError(err)
	}
	return name, nil
}

// pageFormAt is pageForm for actions that must name the revision the user
// saw (delete, rename), so nobody acts on an edit they never looked at.
func pageFormAt(r *http.Request) (name, base string, err error) {
	if name, err = pageForm(r); err != nil {
		return "", "", err
	}
	base = r.PostForm.Get("base_revision")
	if err := validRev(base); err != nil {
		return "", "", err
	}
	return name, base, nil
}

func formError(err error) error {
	if wiki.ErrorCode(asDomain(err)) == wiki.ETOOLARGE {
		return err
	}
	return wiki.Errorf(wiki.EINVALID, "The form could not be read.")
}
