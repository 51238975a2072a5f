package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/warren-wiki/warren/wiki"
)

// tokensData is the caller's own tokens page.
type tokensData struct {
	Tokens  []wiki.Token
	Secret  string // a just-created token's secret, shown this once
	Created *wiki.Token
	Form    tokenForm
	Roles   []string
	Expiry  []expiryChoice
}

// tokenForm keeps what the user typed when creation was refused.
type tokenForm struct {
	Name, Wiki, Role, Expires, Error string
}

// expiryChoice is one option of the expiry menu.
type expiryChoice struct {
	Days  string
	Label string
}

var expiryChoices = []expiryChoice{
	{"30", "30 days"}, {"90", "90 days"}, {"365", "1 year"}, {"0", "never"},
}

// tokenCaller returns the signed-in caller who may manage tokens. Tokens
// cannot manage tokens: a scoped or capped token must not mint a broader one.
func tokenCaller(r *http.Request) (*wiki.Caller, error) {
	c := wiki.CallerFrom(r.Context())
	switch {
	case c.Anonymous():
		return nil, wiki.Errorf(wiki.EUNAUTHORIZED, "Sign in to manage your tokens.")
	case c.ViaToken:
		return nil, wiki.Errorf(wiki.EFORBIDDEN, "Tokens cannot manage tokens; use the browser.")
	}
	return c, nil
}

// handleTokens lists the caller's tokens (never their secrets).
func (s *Server) handleTokens(w http.ResponseWriter, r *http.Request) {
	s.tokensPage(w, r, http.StatusOK, tokensData{Form: tokenForm{Role: "editor", Expires: "90"}})
}

// tokensPage renders the tokens page with the caller's current tokens.
func (s *Server) tokensPage(w http.ResponseWriter, r *http.Request, status int, d tokensData) {
	c, err := tokenCaller(r)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	if d.Tokens, err = s.Robot.Tokens(r.Context(), c.Login); err != nil {
		s.htmlError(w, r, err)
		return
	}
	d.Roles = []string{wiki.RoleViewer.String(), wiki.RoleEditor.String(), wiki.RoleAdmin.String()}
	d.Expiry = expiryChoices
	if d.Secret != "" {
		// The secret is in this page only; no cache may keep it.
		w.Header().Set("Cache-Control", "no-store")
	}
	v := s.platformView(r, "Access tokens")
	v.Data = d
	s.render(w, r, status, "tokens.html", v)
}

// handleCreateToken creates a token for the caller and shows its secret
// once; afterwards only its hash exists.
func (s *Server) handleCreateToken(w http.ResponseWriter, r *http.Request) {
	c, err := tokenCaller(r)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.htmlError(w, r, formError(err))
		return
	}
	f := tokenForm{
		Name:    strings.TrimSpace(r.PostForm.Get("name")),
		Wiki:    strings.TrimSpace(r.PostForm.Get("wiki")),
		Role:    r.PostForm.Get("role"),
		Expires: r.PostForm.Get("expires"),
	}
	role, expires, err := s.parseTokenForm(r, c, f)
	var secret string
	var t *wiki.Token
	if err == nil {
		secret, t, err = s.Robot.CreateToken(r.Context(), c.Login, f.Name, f.Wiki, role, expires)
	}
	if wiki.ErrorCode(err) == wiki.EINVALID {
		f.Error = wiki.ErrorMessage(err)
		s.tokensPage(w, r, ErrorStatus(err), tokensData{Form: f})
		return
	} else if err != nil {
		s.htmlError(w, r, err)
		return
	}
	s.tokensPage(w, r, http.StatusCreated, tokensData{Secret: secret, Created: t, Form: tokenForm{Role: "editor", Expires: "90"}})
}

// parseTokenForm validates the form: a known role, a known expiry, and a
// wiki scope that names a wiki the caller can read (or none). A wiki the
// caller cannot read is reported as missing, so its name does not leak.
func (s *Server) parseTokenForm(r *http.Request, c *wiki.Caller, f tokenForm) (wiki.Role, time.Time, error) {
	if len(f.Name) > 100 {
		return 0, time.Time{}, wiki.Errorf(wiki.EINVALID, "The token name is longer than 100 characters.")
	}
	role, err := wiki.ParseRole(f.Role)
	if err != nil {
		return 0, time.Time{}, err
	}
	days, err := strconv.Atoi(f.Expires)
	if err != nil || days < 0 || days > 3650 {
		return 0, time.Time{}, wiki.Errorf(wiki.EINVALID, "Choose when the token expires.")
	}
	var expires time.Time
	if days > 0 {
		expires = time.Now().AddDate(0, 0, days)
	}
	if f.Wiki != "" {
		if err := wiki.ValidateSlug(f.Wiki); err != nil {
			return 0, time.Time{}, err
		}
		if err := s.canRead(r, c, f.Wiki); err != nil {
			return 0, time.Time{}, err
		}
	}
	return role, expires, nil
}

// handleRevokeToken deletes one of the caller's own tokens.
func (s *Server) handleRevokeToken(w http.ResponseWriter, r *http.Request) {
	c, err := tokenCaller(r)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.htmlError(w, r, formError(err))
		return
	}
	id, err := strconv.ParseInt(r.PostForm.Get("id"), 10, 64)
	if err != nil || id <= 0 {
		s.htmlError(w, r, wiki.Errorf(wiki.EINVALID, "Which token? The id is missing."))
		return
	}
	if err := s.Robot.RevokeToken(r.Context(), c.Login, id); err != nil {
		s.htmlError(w, r, err)
		return
	}
	seeOther(w, r, "/-/tokens?notice=token")
}

// canRead checks that slug names a wiki the caller may read; any other
// wiki is reported as missing, whether it exists or not.
func (s *Server) canRead(r *http.Request, c *wiki.Caller, slug string) error {
	missing := wiki.Errorf(wiki.EINVALID, "There is no wiki %q.", slug)
	w, err := s.Robot.FindWiki(r.Context(), slug)
	if wiki.ErrorCode(err) == wiki.ENOTFOUND {
		return missing
	} else if err != nil {
		return err
	}
	role, err := s.Robot.Role(r.Context(), w, c)
	if err != nil {
		return err
	}
	if role < wiki.RoleViewer {
		return missing
	}
	return nil
}
