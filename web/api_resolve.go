package web

import (
	"net/http"

	"github.com/warren-wiki/warren/tenant"
)

// existingPage is the page an update or delete of name means: name itself
// when a page has it (in any case), else what the one resolver finds
// (Getting Started for Getting-Started.md), else name.
func (s *Server) existingPage(r *http.Request, h *tenant.Handle, name string) string {
	if _, err := h.Store.Page(r.Context(), name, ""); err == nil {
		return name
	}
	if res, err := h.Store.Resolve(r.Context(), name); err == nil && res.Page != "" {
		return res.Page
	}
	return name
}
