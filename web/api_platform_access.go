package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gorilla/mux"
	"github.com/warren-wiki/warren/wiki"
)

// wikiAdminAPI checks that the caller may manage the wiki of the URL: a
// platform admin, or an admin of that wiki. A wiki the caller cannot read
// is answered as missing (404), as everywhere; a reader who is not its
// admin is refused (403).
func (s *Server) wikiAdminAPI(r *http.Request) (string, error) {
	c := wiki.CallerFrom(r.Context())
	slug := mux.Vars(r)["slug"]
	if err := wiki.ValidateSlug(slug); err != nil {
		return "", err
	}
	if s.isPlatformAdmin(c) {
		return slug, nil
	}
	if c.Anonymous() {
		return "", wiki.Errorf(wiki.EUNAUTHORIZED, "Sign in to do this.")
	}
	wk, err := s.Robot.FindWiki(r.Context(), slug)
	if err != nil {
		return "", err
	}
	role, err := s.Robot.Role(r.Context(), wk, c)
	switch {
	case err != nil:
		return "", err
	case role < wiki.RoleViewer:
		return "", wiki.Errorf(wiki.ENOTFOUND, "wiki %q does not exist", slug)
	case role < wiki.RoleAdmin:
		return "", wiki.Errorf(wiki.EFORBIDDEN, "Only admins of %s and platform admins may manage its grants.", slug)
	}
	return slug, nil
}

func (s *Server) apiListGrants(w http.ResponseWriter, r *http.Request) {
	slug, err := s.wikiAdminAPI(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	gs, err := s.Robot.Grants(r.Context(), slug)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"grants": gs})
}

// apiPutGrant gives the principal of the URL {"role": "…"} on the wiki.
func (s *Server) apiPutGrant(w http.ResponseWriter, r *http.Request) {
	slug, err := s.wikiAdminAPI(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	principal, err := principalParam(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var body struct {
		Role wiki.Role `json:"role"`
	}
	if err := decodeStrict(r, &body); err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := s.Robot.SetGrant(r.Context(), actor(r), slug, principal, body.Role); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, wiki.Grant{Wiki: slug, Principal: principal, Role: body.Role.String()})
}

func (s *Server) apiDeleteGrant(w http.ResponseWriter, r *http.Request) {
	slug, err := s.wikiAdminAPI(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	principal, err := principalParam(r)
	if err == nil {
		err = s.Robot.RevokeGrant(r.Context(), actor(r), slug, principal)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// principalParam decodes and validates the {principal} of the URL
// (group:NAME arrives as group%3ANAME or as is).
func principalParam(r *http.Request) (string, error) {
	p, err := url.PathUnescape(mux.Vars(r)["principal"])
	if err != nil {
		return "", wiki.Errorf(wiki.EINVALID, "principal is not valid URL encoding")
	}
	return p, wiki.ValidatePrincipal(p)
}

// apiAudit answers GET /-/api/audit?wiki=&since=&before=&limit=: the whole
// trail for platform admins, one wiki's for its admins.
func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) {
	q, err := s.auditQuery(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	entries, err := s.Robot.QueryAudit(r.Context(), q)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	next := ""
	if len(entries) == q.Limit && q.Limit > 0 {
		next = strconv.FormatInt(entries[len(entries)-1].ID, 10)
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": entries, "next": next})
}

// auditQuery reads and authorizes an audit query: a platform admin may
// read everything; a wiki admin only with ?wiki= naming their wiki.
func (s *Server) auditQuery(r *http.Request) (wiki.AuditQuery, error) {
	v := r.URL.Query()
	q := wiki.AuditQuery{Wiki: v.Get("wiki")}
	c := wiki.CallerFrom(r.Context())
	if !s.isPlatformAdmin(c) {
		if q.Wiki == "" {
			return q, platformDenial(c)
		}
		if _, err := s.wikiAdminAPI(mux.SetURLVars(r, map[string]string{"slug": q.Wiki})); err != nil {
			return q, err
		}
	}
	var err error
	if q.Since, err = wiki.ParseSince(v.Get("since"), time.Now()); err != nil {
		return q, err
	}
	if q.Limit, err = limitParam(v.Get("limit"), 100, wiki.MaxAuditLimit); err != nil {
		return q, err
	}
	if b := v.Get("before"); b != "" {
		if q.Before, err = strconv.ParseInt(b, 10, 64); err != nil || q.Before <= 0 {
			return q, wiki.Errorf(wiki.EINVALID, "before must be an audit id from the last page's next")
		}
	}
	return q, nil
}

// decodeStrict reads one JSON object and refuses fields the endpoint does
// not know, so a misspelt "visibilty" is an error, not a silent no-op.
func decodeStrict(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return asDomain(err)
		}
		var we *wiki.Error
		if errors.As(err, &we) {
			return we // a field's own validation (a role, a visibility)
		}
		return wiki.Errorf(wiki.EINVALID, "malformed JSON body: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return wiki.Errorf(wiki.EINVALID, "malformed JSON body: trailing data")
	}
	return nil
}
