package web

import (
	"bytes"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/gorilla/mux"
	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// Decisions behind attachments, recorded here beside the code:
//   - Files live in the page's folder (An Otter Wiki's layout) and are
//     served at /-/files/{page}/{name}, under /-/ so they never collide with
//     a page. A link with ?v=<blob id> is cached for a year; without it the
//     browser revalidates with the blob id as ETag.
//   - Only a small allow-list of inert types is served with its own type;
//     everything else (HTML, SVG, scripts, unknown) is a download of
//     application/octet-stream. Every file response is sandboxed by CSP, so
//     even a mistyped file cannot run script with the wiki's origin.
//   - Uploads may be as large as --max-blob, which may exceed the general
//     body limit: attachmentBodyLimit raises it for that one route only.

// inertTypes are the attachment types served as themselves.
var inertTypes = map[string]string{
	".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
	".webp": "image/webp", ".avif": "image/avif", ".pdf": "application/pdf",
	".txt": "text/plain; charset=utf-8", ".csv": "text/csv; charset=utf-8",
	".zip": "application/zip", ".gz": "application/gzip", ".mp3": "audio/mpeg",
	".mp4": "video/mp4", ".webm": "video/webm",
}

// multipartOverhead is room for the form fields and part headers around
// an uploaded file.
const multipartOverhead = 64 << 10

// attachmentBodyLimit is the body limit of a request: the general MaxBody,
// raised to fit a --max-blob file for an attachment upload only — a form
// upload, or MCP's upload_attachment, which carries the file in base64.
func (s *Server) attachmentBodyLimit(r *http.Request) int64 {
	if r.Method != http.MethodPost {
		return s.MaxBody
	}
	p := r.URL.Path
	if atWikiRoot(p, "/-/attachments/") {
		return max(s.MaxBody, s.Git.MaxBlob+multipartOverhead)
	}
	if atWikiRoot(p, "/-/mcp") {
		return s.mcpBodyLimit()
	}
	return s.MaxBody
}

// mcpBodyLimit fits one --max-blob file in base64 inside a JSON-RPC call.
func (s *Server) mcpBodyLimit() int64 {
	return max(s.MaxBody, s.Git.MaxBlob/3*4+4+multipartOverhead)
}

// atWikiRoot reports whether action appears in p right at a wiki's root:
// "/-/…" in host mode, "/{slug}/-/…" in path mode.
func atWikiRoot(p, action string) bool {
	i := strings.Index(p, action)
	return i == 0 || (i > 0 && !strings.Contains(p[1:i], "/"))
}

// attachmentsData is what the attachments page shows.
type attachmentsData struct {
	Name  string
	Files []wiki.Attachment
}

// LinkURL is the address to write in Markdown to show an attachment.
func (d attachmentsData) LinkURL(v *view, a wiki.Attachment) string {
	return v.Root + "-/files/" + escapePage(d.Name) + "/" + url.PathEscape(a.Name)
}

// FileURL links to an attachment, versioned by its blob so it may be cached.
func (d attachmentsData) FileURL(v *view, a wiki.Attachment) string {
	return d.LinkURL(v, a) + "?v=" + a.Blob
}

// handleAttachments lists a page's attachments, with the upload form for
// editors.
func (s *Server) handleAttachments(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	p, err := urlPage(r, h)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	files, err := h.Store.Attachments(r.Context(), p.Name)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	v := s.wikiView(r, h, role, "Attachments of "+p.Title)
	v.Crumbs = actionCrumbs(v, p.Name, "Attachments")
	v.Data = attachmentsData{Name: p.Name, Files: files}
	s.render(w, r, http.StatusOK, "attachments.html", v)
}

// handleDeleteAttachment removes one attachment named by the form.
func (s *Server) handleDeleteAttachment(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	page, err := pageForm(r)
	if err != nil {
		s.htmlError(w, r, err)
		return
	}
	name := r.PostForm.Get("name")
	message := strings.TrimSpace(r.PostForm.Get("message"))
	if _, err := h.Store.DeleteAttachment(r.Context(), page, name, message, wiki.CallerFrom(r.Context())); err != nil {
		s.htmlError(w, r, err)
		return
	}
	seeOther(w, r, h.Root+"-/attachments/"+escapePage(page))
}

// handleFile serves one attachment: /-/files/{page}/{name}, or any other
// file of the wiki by its path (a root-level image of an Obsidian vault,
// a file in a folder that is no page's).
func (s *Server) handleFile(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	raw := mux.Vars(r)["path"]
	i := strings.LastIndex(raw, "/")
	if i <= 0 {
		s.serveFilePath(w, r, h, raw)
		return
	}
	page, err := decodePage(raw[:i])
	if err != nil {
		s.serveFilePath(w, r, h, raw)
		return
	}
	name, err := url.PathUnescape(raw[i+1:])
	if err != nil {
		s.htmlError(w, r, wiki.Errorf(wiki.EINVALID, "The file name is not valid URL encoding."))
		return
	}
	data, blob, err := h.Store.Attachment(r.Context(), page, name)
	if wiki.ErrorCode(err) == wiki.ENOTFOUND {
		s.serveFilePath(w, r, h, raw)
		return
	} else if err != nil {
		s.htmlError(w, r, err)
		return
	}
	if s.serveThumbnail(w, r, name, blob, data) {
		return // ?width= or ?thumbnail= (ui_thumb.go)
	}
	hdr := w.Header()
	setFileHeaders(hdr, name)
	hdr.Set("ETag", `"`+blob+`"`)
	setFileCache(hdr, r, blob)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}

// setFileCache lets a link carrying the blob id (?v=) be cached for a
// year; anything else is revalidated with the ETag.
func setFileCache(hdr http.Header, r *http.Request, blob string) {
	if r.URL.Query().Get("v") == blob {
		hdr.Set("Cache-Control", "private, max-age=31536000, immutable")
	} else {
		hdr.Set("Cache-Control", "private, no-cache")
	}
}

// serveFilePath serves a file named by its escaped repository path.
func (s *Server) serveFilePath(w http.ResponseWriter, r *http.Request, h *tenant.Handle, raw string) {
	p, err := url.PathUnescape(raw)
	if err != nil {
		s.htmlError(w, r, wiki.Errorf(wiki.EINVALID, "The file path is not valid URL encoding."))
		return
	}
	s.serveWikiFile(w, r, h, p)
}

// setFileHeaders picks the type and disposition of an attachment: inert
// types as themselves, everything else as a download; always sandboxed.
func setFileHeaders(hdr http.Header, name string) {
	ctype, inline := inertTypes[strings.ToLower(path.Ext(name))]
	disposition := "inline"
	if !inline {
		ctype, disposition = "application/octet-stream", "attachment"
	}
	hdr.Set("Content-Type", ctype)
	hdr.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": name}))
	hdr.Set("Content-Security-Policy", contentSecurityPolicy+"; sandbox")
	hdr.Set("X-Content-Type-Options", "nosniff")
}
