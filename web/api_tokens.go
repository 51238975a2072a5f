package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"
	"github.com/warren-wiki/warren/wiki"
)

// registerTokenAPI mounts /-/api/tokens: everyone's own tokens, and for
// platform admins anyone's.
func (s *Server) registerTokenAPI(r *mux.Router) {
	r.HandleFunc("/tokens", s.apiListTokens).Methods("GET")
	r.HandleFunc("/tokens", s.apiCreateToken).Methods("POST")
	r.HandleFunc("/tokens/{id}", s.apiRevokeToken).Methods("DELETE")
}

// tokenAPICaller is the caller who may manage tokens through the API: a
// signed-in user, or a platform-admin token. An ordinary token may not: a
// scoped or capped token must not mint a broader one.
func (s *Server) tokenAPICaller(r *http.Request) (*wiki.Caller, bool, error) {
	c := wiki.CallerFrom(r.Context())
	admin := s.isPlatformAdmin(c)
	switch {
	case c.Anonymous():
		return nil, false, wiki.Errorf(wiki.EUNAUTHORIZED, "Sign in to manage your tokens.")
	case c.ViaToken && !admin:
		return nil, false, wiki.Errorf(wiki.EFORBIDDEN, "Tokens cannot manage tokens; use the browser.")
	}
	return c, admin, nil
}

// apiListTokens lists the caller's tokens; a platform admin may ask for
// ?user=LOGIN or ?all=1.
func (s *Server) apiListTokens(w http.ResponseWriter, r *http.Request) {
	c, admin, err := s.tokenAPICaller(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	user := c.Login
	q := r.URL.Query()
	if u := q.Get("user"); u != "" && u != c.Login || q.Get("all") != "" {
		if !admin {
			s.apiError(w, r, wiki.Errorf(wiki.EFORBIDDEN, "Only platform admins may see other users' tokens."))
			return
		}
		user = u
	}
	ts, err := s.Robot.Tokens(r.Context(), user)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": ts})
}

// apiTokenBody asks for a token. ExpiresInDays: 0 never, default 90.
type apiTokenBody struct {
	User          string    `json:"user"`
	Name          string    `json:"name"`
	Wiki          string    `json:"wiki"`
	Role          wiki.Role `json:"role"`
	ExpiresInDays *int      `json:"expires_in_days"`
	PlatformAdmin bool      `json:"platform_admin"`
}

// apiCreateToken creates a token and answers its secret once (201).
func (s *Server) apiCreateToken(w http.ResponseWriter, r *http.Request) {
	c, admin, err := s.tokenAPICaller(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	body := apiTokenBody{Role: wiki.RoleEditor}
	if err := decodeStrict(r, &body); err != nil {
		s.apiError(w, r, err)
		return
	}
	req, err := s.tokenRequest(r, c, admin, body)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	secret, t, err := s.Robot.IssueToken(r.Context(), actor(r), req)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, map[string]any{"token": t, "secret": secret})
}

// tokenRequest checks who the token is for, its scope, its expiry and its
// platform-admin flag.
func (s *Server) tokenRequest(r *http.Request, c *wiki.Caller, admin bool, b apiTokenBody) (wiki.TokenRequest, error) {
	req := wiki.TokenRequest{User: strings.TrimSpace(b.User), Name: strings.TrimSpace(b.Name), Wiki: strings.TrimSpace(b.Wiki), Role: b.Role}
	if req.User == "" {
		req.User = c.Login
	}
	if req.User != c.Login && !admin {
		return req, wiki.Errorf(wiki.EFORBIDDEN, "Only platform admins may create tokens for other users.")
	}
	days := 90
	if b.ExpiresInDays != nil {
		days = *b.ExpiresInDays
	}
	if days < 0 || days > 3650 {
		return req, wiki.Errorf(wiki.EINVALID, "expires_in_days must be from 0 (never) to 3650")
	}
	if days > 0 {
		req.Expires = time.Now().AddDate(0, 0, days)
	}
	if req.Wiki != "" && !admin {
		if err := s.canRead(r, c, req.Wiki); err != nil {
			return req, err
		}
	}
	if b.PlatformAdmin {
		if err := s.mayIssueAdminToken(c, admin, req.User); err != nil {
			return req, err
		}
		req.PlatformAdmin = true
	}
	return req, nil
}

// mayIssueAdminToken decides the explicit platform-admin flag: only a
// platform admin signed in through the proxy (never a token, so a leaked
// one cannot make itself permanent) may set it, and only for a login
// named in --admin, since a token carries no groups and its rights are
// checked against that list on every use.
func (s *Server) mayIssueAdminToken(c *wiki.Caller, admin bool, user string) error {
	switch {
	case !admin || c.ViaToken:
		return wiki.Errorf(wiki.EFORBIDDEN, "Only a platform admin signed in through the proxy may create platform-admin tokens.")
	case !slices.Contains(s.Admins, user):
		return wiki.Errorf(wiki.EINVALID, "A platform-admin token must belong to a login named in --admin (tokens carry no groups); %q is not.", user)
	}
	return nil
}

// apiRevokeToken deletes one of the caller's tokens, or any for admins.
func (s *Server) apiRevokeToken(w http.ResponseWriter, r *http.Request) {
	c, admin, err := s.tokenAPICaller(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	id, err := strconv.ParseInt(mux.Vars(r)["id"], 10, 64)
	if err != nil || id <= 0 {
		s.apiError(w, r, wiki.Errorf(wiki.EINVALID, "the token id is a positive number"))
		return
	}
	owner := c.Login
	if admin {
		owner = ""
	}
	if err := s.Robot.RevokeTokenAs(r.Context(), actor(r), owner, id); err != nil {
		s.apiError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
