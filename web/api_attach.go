package web

import (
	"net/http"

	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// apiAttachment is one file of a page in the JSON API: what the editor's
// link picker offers, with the Markdown it inserts.
type apiAttachment struct {
	Name     string `json:"name"`
	Size     int64  `json:"size"`
	URL      string `json:"url"`
	Markdown string `json:"markdown"`
	Image    bool   `json:"image"`
}

// apiPageAttachments lists a page's attachments:
// GET /-/api/pages/{path}/attachments.
func (s *Server) apiPageAttachments(w http.ResponseWriter, r *http.Request, h *tenant.Handle, _ wiki.Role) {
	name, err := pageParam(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	files, err := h.Store.Attachments(r.Context(), name)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]apiAttachment, 0, len(files))
	for _, f := range files {
		link := fileLink(h.Root, name, f.Name)
		out = append(out, apiAttachment{Name: f.Name, Size: f.Size, URL: link,
			Markdown: attachmentMarkdown(f.Name, link), Image: isImageName(f.Name)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"attachments": out})
}
