package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/warren-wiki/warren/storage"
	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// A wiki whose admins require commit messages ("require_message") refuses
// page saves without one, from the browser (which shows the editor again
// with the text kept), the API (400) and MCP alike. Saves made by pushing
// carry git's own messages, and attachment uploads, renames and deletes
// keep their descriptive default messages.

// requireMessage is EINVALID when the wiki requires a commit message and
// message is empty.
func requireMessage(ctx context.Context, store *storage.Wiki, message string) error {
	if strings.TrimSpace(message) != "" {
		return nil
	}
	prefs, err := store.Preferences(ctx)
	if err != nil {
		return err
	}
	if prefs.RequireMessage {
		return wiki.Errorf(wiki.EINVALID, "This wiki requires a commit message: say what you changed.")
	}
	return nil
}

// editAgain shows the editor once more with the caller's text and why the
// save was refused, with the status of err.
func (s *Server) editAgain(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role, d editData, err error) {
	var perr error
	if d.Preview, perr = s.preview(r, h, d.Name, d.Content); perr != nil {
		s.htmlError(w, r, perr)
		return
	}
	v := s.wikiView(r, h, role, "Edit "+wiki.PageTitle(d.Name))
	v.Crumbs = actionCrumbs(v, d.Name, "Edit")
	v.Data = d
	s.render(w, r, ErrorStatus(err), "edit.html", v)
}
