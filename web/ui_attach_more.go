package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// attachmentHistoryLimit bounds the commits an attachment's history lists.
const attachmentHistoryLimit = 200

// attachmentOpData is the rename form and the history page of one
// attachment.
type attachmentOpData struct {
	Page, File string
	To, Error  string
	Revisions  []wiki.Revision
}

// Query is the query that names the attachment on its pages.
func (d attachmentOpData) Query() string { return "?name=" + url.QueryEscape(d.File) }

// FileURL links to the attachment itself.
func (d attachmentOpData) FileURL(v *view) string { return fileLink(v.Root, d.Page, d.File) }

// attachmentParams reads the page from the URL and the file from ?name=
// (or the posted form).
func attachmentParams(r *http.Request) (page, file string, err error) {
	if page, err = uiPageParam(r); err != nil {
		return "", "", err
	}
	file = r.FormValue("name")
	if file == "" || strings.ContainsAny(file, "/\\") {
		return "", "", wiki.Errorf(wiki.EINVALID, "Name the attachment with ?name=.")
	}
	return page, file, nil
}

// handleAttachmentHistory lists the commits that changed one attachment:
// GET /-/attachment-history/{page}?name=FILE. Hidden from viewers with the
// wiki's history (history_gate.go).
func (s *Server) handleAttachmentHistory(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	page, file, err := attachmentParams(r)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	revs, err := h.Store.AttachmentHistory(r.Context(), page, file, attachmentHistoryLimit)
	if err == nil && len(revs) == 0 {
		err = wiki.Errorf(wiki.ENOTFOUND, "%s has no attachment %s and never had one.", page, file)
	}
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	v := s.wikiView(r, h, role, "History of "+file)
	v.Crumbs = attachmentCrumbs(v, page, "History of "+file)
	v.Data = attachmentOpData{Page: page, File: file, Revisions: revs}
	s.render(w, r, http.StatusOK, "attachment-history.html", v)
}

// handleRenameAttachmentForm asks for an attachment's new name.
func (s *Server) handleRenameAttachmentForm(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	page, file, err := attachmentParams(r)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	if _, _, err := h.Store.Attachment(r.Context(), page, file); err != nil {
		s.htmlError(w, r, err)
		return
	}
	s.renameAttachmentPage(w, r, h, role, http.StatusOK, attachmentOpData{Page: page, File: file, To: file})
}

// handleRenameAttachment renames in one commit and goes back to the list;
// a refused name shows the form again with the reason.
func (s *Server) handleRenameAttachment(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	if err := r.ParseForm(); err != nil {
		s.htmlError(w, r, formError(err))
		return
	}
	page, file, err := attachmentParams(r)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	to := strings.TrimSpace(r.PostForm.Get("to"))
	message := strings.TrimSpace(r.PostForm.Get("message"))
	_, err = h.Store.RenameAttachment(r.Context(), page, file, to, message, wiki.CallerFrom(r.Context()))
	switch wiki.ErrorCode(err) {
	case "":
		seeOther(w, r, h.Root+"-/attachments/"+escapePage(page))
	case wiki.EINVALID, wiki.EEXISTS:
		s.renameAttachmentPage(w, r, h, role, ErrorStatus(err), attachmentOpData{Page: page, File: file, To: to, Error: wiki.ErrorMessage(err)})
	default:
		s.htmlError(w, r, err)
	}
}

// renameAttachmentPage renders the rename form.
func (s *Server) renameAttachmentPage(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role, status int, d attachmentOpData) {
	v := s.wikiView(r, h, role, "Rename "+d.File)
	v.Crumbs = attachmentCrumbs(v, d.Page, "Rename "+d.File)
	v.Data = d
	s.render(w, r, status, "rename-attachment.html", v)
}

// attachmentCrumbs leads back to the page and its attachments list.
func attachmentCrumbs(v *view, page, action string) []crumb {
	cs := actionCrumbs(v, page, "Attachments")
	cs[len(cs)-1].URL = v.Action("attachments", page)
	return append(cs, crumb{Label: action})
}
