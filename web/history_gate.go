package web

import (
	"context"
	"net/http"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/warren-wiki/warren/storage"

	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// Hiding history from viewers (the wiki's "hide_history_from_viewers"
// setting, An Otter Wiki's most-asked wish): a viewer then sees pages as
// they are now and nothing of how they came to be — no page history, no
// diffs, no blame, no old revisions (?rev=), no recent changes, no
// attachment lists, in the browser, the API or MCP's history tools. The links are not shown,
// and the routes answer 404 Not found, exactly as for a page that does not
// exist: a viewer learns nothing, not even that a history is there to be
// refused. Editors and admins always see everything, because they need it
// to edit safely. Attachment files themselves are still served, since the
// pages show them. git clones carry the full history by nature, so a wiki
// that must hide it should not grant viewers git access (tokens).

// historyRoute is wikiRoute for routes that show history or attachment
// lists: they refuse callers the wiki hides history from.
func (s *Server) historyRoute(min wiki.Role, fn wikiHandler) http.HandlerFunc {
	return s.wikiRoute(min, s.historyGate(fn))
}

// historyGate runs fn only for callers who may see the wiki's history (for
// routes with their own authorization, such as the feeds).
func (s *Server) historyGate(fn wikiHandler) wikiHandler {
	return func(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
		if err := s.historyVisible(r, h, role); err != nil {
			s.fail(w, r, err)
			return
		}
		fn(w, r, h, role)
	}
}

// historyVisible is nil when the caller may see the wiki's history, else
// the not-found error the routes answer with.
func (s *Server) historyVisible(r *http.Request, h *tenant.Handle, role wiki.Role) error {
	if role >= wiki.RoleEditor {
		return nil // never hidden from editors: skip reading the setting
	}
	prefs, err := h.Store.Preferences(r.Context())
	if err != nil {
		return err
	}
	if prefs.HidesHistoryFrom(role) {
		return wiki.Errorf(wiki.ENOTFOUND, "Not found.")
	}
	return nil
}

// mcpHistoryWiki is mcpWiki for the MCP tools that show history
// (page_history, recent_changes, diff, read_revision): a caller the wiki
// hides history from gets the tool error of something that is not there.
func (s *Server) mcpHistoryWiki(ctx context.Context, extra *mcp.RequestExtra, min wiki.Role) (*mcpCall, *storage.Wiki, func(), error) {
	call, store, release, err := s.mcpWiki(ctx, extra, min)
	if err != nil || call.role >= wiki.RoleEditor {
		return call, store, release, err
	}
	prefs, err := store.Preferences(ctx)
	if err == nil && prefs.HidesHistoryFrom(call.role) {
		err = wiki.Errorf(wiki.ENOTFOUND, "Not found.")
	}
	if err != nil {
		release()
		return nil, nil, nil, toolError(s, err)
	}
	return call, store, release, nil
}
