package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gorilla/mux"
	"github.com/warren-wiki/warren/wiki"
)

// registerAuditUI adds /-/audit: the audit trail as a page, newest first,
// filtered by wiki and time, for platform admins (and, with ?wiki=, for
// that wiki's admins) — the same query as the API and `warren audit`.
func (s *Server) registerAuditUI(r *mux.Router) {
	r.HandleFunc("/-/audit", s.handleAudit).Methods(http.MethodGet, http.MethodHead)
}

// auditData is the audit page.
type auditData struct {
	Entries []wiki.AuditEntry
	Wiki    string
	Since   string
	Next    string // the URL of the next (older) page, "" at the end
}

func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request) {
	q, err := s.auditQuery(r)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	entries, err := s.Robot.QueryAudit(r.Context(), q)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	d := auditData{Entries: entries, Wiki: q.Wiki, Since: r.URL.Query().Get("since")}
	if len(entries) == q.Limit {
		next := url.Values{"before": {strconv.FormatInt(entries[len(entries)-1].ID, 10)}}
		for _, k := range []string{"wiki", "since", "limit"} {
			if v := r.URL.Query().Get(k); v != "" {
				next.Set(k, v)
			}
		}
		d.Next = "?" + next.Encode()
	}
	v := s.platformView(r, "Audit trail")
	v.Data = d
	s.render(w, r, http.StatusOK, "audit.html", v)
}
