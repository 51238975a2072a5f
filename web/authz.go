package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// wikiHandler is a handler inside one wiki that has passed authorization; it
// gets the request's wiki and the caller's role on it.
type wikiHandler func(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role)

// wikiRoute wraps fn so it runs only for callers with at least role min on
// the request's wiki. A caller who may not read the wiki at all is told it
// does not exist (404), so private wiki names do not leak; an anonymous
// caller who needs more is asked for credentials (401); a known caller with
// too little role is refused (403).
func (s *Server) wikiRoute(min wiki.Role, fn wikiHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h := tenant.From(r.Context())
		if h == nil {
			s.fail(w, r, wiki.Errorf(wiki.ENOTFOUND, "Not found."))
			return
		}
		c := wiki.CallerFrom(r.Context())
		role, err := s.Robot.Role(r.Context(), h.Info, c)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if role < min {
			s.fail(w, r, denial(r, c, role))
			return
		}
		// The caller carries its role on this wiki from here on, so every
		// storage write it makes is checked against protected paths.
		r = r.WithContext(wiki.NewContextWithCaller(r.Context(), c.WithRole(role)))
		fn(w, r, h, role)
	}
}

// denial picks the error for a caller whose role is too low. git is the
// exception to "private wikis do not exist for you": it only sends
// credentials (or asks its credential helper) after a 401 challenge, so an
// anonymous git request is always challenged.
func denial(r *http.Request, c *wiki.Caller, role wiki.Role) error {
	switch {
	case c.Anonymous() && (role > wiki.RoleNone || strings.Contains(r.URL.Path, "/.git/")):
		return wiki.Errorf(wiki.EUNAUTHORIZED, "Sign in to do this.")
	case role == wiki.RoleNone:
		return wiki.Errorf(wiki.ENOTFOUND, "Not found.")
	}
	return wiki.Errorf(wiki.EFORBIDDEN, "Your role on this wiki (%s) does not allow this.", role)
}

// isPlatformAdmin reports whether c may create and delete wikis and use
// the management API. A token is one only if it was created as a
// platform-admin token, and only while its user is named in --admin by
// login (tokens carry no groups): an ordinary token of a platform admin
// acts as an ordinary user, whatever its user may do in the browser.
func (s *Server) isPlatformAdmin(c *wiki.Caller) bool {
	if c.ViaToken {
		return c.TokenAdmin && !c.Anonymous() && slices.Contains(s.Admins, c.Login)
	}
	if c.PlatformAdmin {
		return true
	}
	if c.Anonymous() {
		return false
	}
	principals := c.Principals()
	for _, a := range s.Admins {
		for _, p := range principals {
			if a == p {
				return true
			}
		}
	}
	return false
}

// failNoWiki answers a request the resolver could not give a wiki: one that
// does not exist or that the caller may not read (tenant.NoSuchWiki, the
// same error for both). It is 404 on every route, except that git and
// feeds without credentials are challenged (401): their clients send
// credentials, or ask a credential helper, only after a challenge. Unknown
// and private wikis get that challenge alike, so it tells nothing either.
func (s *Server) failNoWiki(w http.ResponseWriter, r *http.Request, err error) {
	git, feed := strings.Contains(r.URL.Path, "/.git/"), strings.Contains(r.URL.Path, "/-/feed")
	if tenant.IsNoSuchWiki(err) && (git || feed) && wiki.CallerFrom(r.Context()).Anonymous() {
		err = wiki.Errorf(wiki.EUNAUTHORIZED, "Sign in to do this.")
	}
	if feed {
		s.gitError(w, r, err) // feed readers get plain text, as from feedRoute
		return
	}
	s.fail(w, r, err)
}
