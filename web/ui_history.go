package web

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// historyLimit bounds the entries one history or changes page lists.
const historyLimit = 100

// historyData is a page's history, newest first.
type historyData struct {
	Name    string
	Entries []historyEntry
	Older   int64  // cursor of the next (older) screen, 0 at the end
	Current string // the page's revision now ("" if it is deleted), for restoring
}

// historyEntry is one change with the revision before it, for the
// "compare with previous" link.
type historyEntry struct {
	wiki.Change
	Previous string
}

// changesLimit bounds the entries one screen of recent changes lists.
const changesLimit = 50

// changesPage reads one screen of the change log of a page ("" = the wiki)
// from ?before=, plus one more entry to know the previous revision of the
// last one shown and whether there are older entries.
func changesPage(r *http.Request, h *tenant.Handle, name string) ([]wiki.ChangeEntry, int64, error) {
	return changesScreen(r, h, name, historyLimit)
}

// changesScreen is changesPage with the screen's length.
func changesScreen(r *http.Request, h *tenant.Handle, name string, n int) ([]wiki.ChangeEntry, int64, error) {
	var before int64
	if b := r.URL.Query().Get("before"); b != "" {
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil || n <= 0 {
			return nil, 0, wiki.Errorf(wiki.EINVALID, "before=%q is not a position in the history.", b)
		}
		before = n
	}
	entries, err := h.Store.Changes(r.Context(), name, n+1, before)
	if err != nil || len(entries) <= n {
		return entries, 0, err
	}
	return entries, entries[n-1].Seq, nil
}

// handleHistory lists a page's changes from the change index.
func (s *Server) handleHistory(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	name, err := uiPageParam(r)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	changes, older, err := changesPage(r, h, name)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	if len(changes) == 0 {
		s.htmlError(w, r, wiki.Errorf(wiki.ENOTFOUND, "Page %q has no history.", name))
		return
	}
	d := historyData{Name: name, Older: older}
	if p, err := h.Store.Page(r.Context(), name, ""); err == nil {
		d.Current = p.Revision
	} else if wiki.ErrorCode(err) != wiki.ENOTFOUND {
		s.htmlError(w, r, err)
		return
	}
	for i, c := range changes[:min(len(changes), historyLimit)] {
		e := historyEntry{Change: c.Change}
		if i+1 < len(changes) {
			e.Previous = changes[i+1].Revision
		}
		d.Entries = append(d.Entries, e)
	}
	v := s.wikiView(r, h, role, "History of "+wiki.PageTitle(name))
	v.Crumbs = actionCrumbs(v, name, "History")
	v.Data = d
	s.render(w, r, http.StatusOK, "history.html", v)
}

// diffData is the diff of one page between two revisions, with who made
// each and why.
type diffData struct {
	Name     string
	From, To wiki.Revision
	Table    template.HTML
}

// handleDiff shows the line diff of a page between ?from= and ?to=, with
// line numbers and the changed words marked, naming both revisions.
func (s *Server) handleDiff(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	name, err := uiPageParam(r)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	q := r.URL.Query()
	from, to := q.Get("from"), q.Get("to")
	var revs [2]wiki.Revision
	for i, rev := range []string{from, to} {
		if err := validRev(rev); err != nil {
			s.htmlError(w, r, err)
			return
		}
		if revs[i], err = h.Store.Revision(r.Context(), rev); err != nil {
			s.htmlError(w, r, err)
			return
		}
	}
	lines, err := h.Store.PageDiff(r.Context(), name, from, to)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	v := s.wikiView(r, h, role, "Changes to "+wiki.PageTitle(name))
	v.Crumbs = actionCrumbs(v, name, "Changes")
	v.Data = diffData{Name: name, From: revs[0], To: revs[1], Table: diffTable(lines)}
	s.render(w, r, http.StatusOK, "diff.html", v)
}

// changesData is one screen of the wiki's change log.
type changesData struct {
	Entries []wiki.ChangeEntry
	HTML    template.HTML // the entries, built in Go (ui_changes.go)
	Older   int64
}

// handleChanges lists the wiki's recent changes.
func (s *Server) handleChanges(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	changes, older, err := changesScreen(r, h, "", changesLimit)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	v := s.wikiView(r, h, role, "Recent changes")
	d := changesData{Entries: changes[:min(len(changes), changesLimit)], Older: older}
	d.HTML = changesHTML(v, d.Entries)
	v.Data = d
	markViewFill(w, v) // the first screen depends only on the branch: the cache may keep it
	s.render(w, r, http.StatusOK, "changes.html", v)
}
