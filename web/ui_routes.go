package web

import (
	"net/http"

	"github.com/gorilla/mux"
	"github.com/warren-wiki/warren/wiki"
)

// Decisions behind the browser UI, recorded here beside the code:
//   - Every state change is a POST from a form (or the editor's script), so
//     http.CrossOriginProtection covers it; GET never writes. "New page" only
//     asks for a name and redirects to the editor; the page exists once saved.
//   - A redirect after a POST may ask the next page for a notice, by key only
//     (?notice=merged), so a URL cannot make warren display arbitrary text.
//   - The editor posts the revision it started from. A stale save is merged
//     by the service or answered with the 409 conflict page, whose textarea
//     holds the caller's text and is based on the current revision.
//   - The editor keeps unsaved text as a draft 5 s after the last keystroke
//     (POST /-/draft/{page}); the next visit offers to restore or discard it.
//   - Deleting asks for confirmation on its own page and carries the
//     revision the user saw, so nobody deletes an edit they never looked at.
//   - A path ending in "/" is a folder: it redirects to the page index below
//     it. Unknown actions under /-/ are 404, not pages named "-/…".
//   - Tokens cannot manage tokens (a capped or scoped token must not mint a
//     broader one), and a token's wiki scope must be a wiki the user can read.

// registerUIRoutes adds the HTML pages of one wiki. Paths are relative to
// the wiki root. Actions live under /-/ (page names never start with "-"),
// and the catch-all page route comes last so it never shadows an action.
func (s *Server) registerUIRoutes(r *mux.Router) {
	get := []string{http.MethodGet, http.MethodHead}
	post := []string{http.MethodPost}
	viewer, editor, admin := wiki.RoleViewer, wiki.RoleEditor, wiki.RoleAdmin

	r.HandleFunc("/", s.wikiRoute(viewer, s.fillViews(s.handleHome))).Methods(get...)
	r.HandleFunc("/-/edit/{page:.+}", s.wikiRoute(editor, s.handleEdit)).Methods(get...)
	r.HandleFunc("/-/edit/{page:.+}", s.wikiRoute(editor, s.handleSave)).Methods(post...)
	r.HandleFunc("/-/preview", s.wikiRoute(editor, s.handlePreview)).Methods(post...)
	r.HandleFunc("/-/draft/{page:.+}", s.wikiRoute(editor, s.handleSaveDraft)).Methods(post...)
	r.HandleFunc("/-/discard-draft/{page:.+}", s.wikiRoute(editor, s.handleDiscardDraft)).Methods(post...)
	r.HandleFunc("/-/delete/{page:.+}", s.wikiRoute(editor, s.handleDeleteForm)).Methods(get...)
	r.HandleFunc("/-/delete/{page:.+}", s.wikiRoute(editor, s.handleDelete)).Methods(post...)
	r.HandleFunc("/-/new", s.wikiRoute(editor, s.handleNew)).Methods(get...)
	r.HandleFunc("/-/history/{page:.+}", s.historyRoute(viewer, s.handleHistory)).Methods(get...)
	r.HandleFunc("/-/diff/{page:.+}", s.historyRoute(viewer, s.handleDiff)).Methods(get...)
	r.HandleFunc("/-/backlinks/{page:.+}", s.wikiRoute(viewer, s.handleBacklinks)).Methods(get...)
	r.HandleFunc("/-/changes", s.historyRoute(viewer, s.fillViews(s.handleChanges))).Methods(get...)
	r.HandleFunc("/-/pages", s.wikiRoute(viewer, s.handleIndex)).Methods(get...)
	r.HandleFunc("/-/search", s.wikiRoute(viewer, s.handleSearch)).Methods(get...)
	r.HandleFunc("/-/settings", s.wikiRoute(admin, s.handleSettings)).Methods(get...)
	r.HandleFunc("/-/settings", s.wikiRoute(admin, s.handleSaveSettings)).Methods(post...)
	r.HandleFunc("/-/settings/grants", s.wikiRoute(admin, s.handleGrant)).Methods(post...)
	r.HandleFunc("/-/settings/grants/revoke", s.wikiRoute(admin, s.handleRevokeGrant)).Methods(post...)
	s.registerPageToolRoutes(r) // rename and attachments (ui_routes_tools.go)
	s.registerProtectUI(r)      // protected paths (ui_protect.go)
	s.registerHistoryRoutes(r)  // commits, revert, blame, restore, folders, tags, feeds (ui_commit.go)
	// Anything else under /-/ is an unknown action, not a page named "-/…".
	r.PathPrefix("/-/").HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, wiki.Errorf(wiki.ENOTFOUND, "Not found."))
	})
	r.HandleFunc("/{page:.+}", s.wikiRoute(viewer, s.fillViews(s.handlePage))).Methods(get...)
}
