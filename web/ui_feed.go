package web

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/mux"
	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// Atom feeds of a wiki's recent changes (/-/feed) and of one page
// (/-/feed/{page}). Feed readers cannot sign in through the proxy, so they
// authenticate like git, with a token as the HTTP Basic password, and like
// git an anonymous request the wiki does not let read is challenged (401)
// instead of being told the wiki does not exist.

// feedLimit is how many changes a feed lists.
const feedLimit = 30

// feedRoute is wikiRoute for feeds: viewers only, errors in plain text,
// and anonymous callers challenged for credentials.
func (s *Server) feedRoute(fn wikiHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h := tenant.From(r.Context())
		c := wiki.CallerFrom(r.Context())
		if h == nil {
			s.gitError(w, r, wiki.Errorf(wiki.ENOTFOUND, "Not found."))
			return
		}
		role, err := s.Robot.Role(r.Context(), h.Info, c)
		switch {
		case err != nil:
			s.gitError(w, r, err)
		case role >= wiki.RoleViewer:
			fn(w, r, h, role)
		case c.Anonymous():
			s.gitError(w, r, wiki.Errorf(wiki.EUNAUTHORIZED, "Sign in with a token to read this feed."))
		default:
			s.gitError(w, r, wiki.Errorf(wiki.ENOTFOUND, "Not found."))
		}
	}
}

// atomFeed and friends are the Atom (RFC 4287) document.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomEntry struct {
	ID      string     `xml:"id"`
	Title   string     `xml:"title"`
	Updated string     `xml:"updated"`
	Author  atomPerson `xml:"author"`
	Link    atomLink   `xml:"link"`
	Summary string     `xml:"summary"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

// handleFeed writes the feed of the wiki or of {page}. Its ETag is the
// newest change, so a reader polling an unchanged wiki gets 304.
func (s *Server) handleFeed(w http.ResponseWriter, r *http.Request, h *tenant.Handle, _ wiki.Role) {
	name := ""
	if raw, ok := mux.Vars(r)["page"]; ok {
		var err error
		if name, err = decodePage(raw); err != nil {
			s.gitError(w, r, err)
			return
		}
	}
	entries, err := h.Store.Feed(r.Context(), name, feedLimit)
	if err != nil {
		s.gitError(w, r, err)
		return
	}
	if name != "" && len(entries) == 0 {
		s.gitError(w, r, wiki.Errorf(wiki.ENOTFOUND, "Page %q has no history.", name))
		return
	}
	etag := `"feed-` + feedTag(entries) + `"`
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body, err := xml.MarshalIndent(s.atom(r, h, name, entries), "", " ")
	if err != nil {
		s.gitError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "private, no-cache")
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(append(body, '\n'))
}

// feedTag identifies the feed's content by its newest entry.
func feedTag(entries []wiki.FeedEntry) string {
	if len(entries) == 0 {
		return "empty"
	}
	return entries[0].Revision + "-" + fmt.Sprint(len(entries))
}

// atom builds the feed document with absolute URLs.
func (s *Server) atom(r *http.Request, h *tenant.Handle, name string, entries []wiki.FeedEntry) atomFeed {
	origin := requestScheme(r) + "://" + r.Host
	root := origin + h.Root
	title := h.Info.Title
	if title == "" {
		title = h.Info.Slug
	}
	f := atomFeed{ID: origin + r.URL.Path, Title: title + " — recent changes", Updated: atomTime(time.Unix(0, 0))}
	alt := root + "-/changes"
	if name != "" {
		f.Title = title + " — " + name
		alt = root + escapePage(name)
	}
	f.Links = []atomLink{{Rel: "self", Type: "application/atom+xml", Href: origin + r.URL.Path}, {Rel: "alternate", Type: "text/html", Href: alt}}
	for i, e := range entries {
		if i == 0 {
			f.Updated = atomTime(e.Time)
		}
		f.Entries = append(f.Entries, atomEntry{
			ID:      root + "-/commit/" + e.Revision + "#" + escapePage(e.Page),
			Title:   e.Page + ": " + firstLine(e.Message),
			Updated: atomTime(e.Time),
			Author:  atomPerson{Name: e.Author},
			Link:    atomLink{Rel: "alternate", Type: "text/html", Href: root + "-/commit/" + e.Revision},
			Summary: fmt.Sprintf("%s %s by %s: %s (+%d −%d lines)", e.Page, e.Action, e.Author, e.Message, e.Added, e.Removed),
		})
	}
	return f
}

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
