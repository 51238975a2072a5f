package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// Decisions behind uploads, recorded here beside the code:
//   - One form may carry several "file" parts; each becomes its own commit,
//     in the order sent. Together they share the request's body limit
//     (--max-blob), so the page's script sends one request per file, each
//     of which may be as large as --max-blob, and shows its progress.
//   - The editor's paste and drop upload to the same route. A request that
//     asks for JSON (Accept: application/json) gets the stored names and
//     their Markdown instead of a redirect, and errors in the API's shape.
//     It is a same-origin POST, so http.CrossOriginProtection guards it as
//     it guards the form.

// uploadedFile is one stored attachment, as the editor inserts it.
type uploadedFile struct {
	Name     string `json:"name"`
	URL      string `json:"url"`
	Markdown string `json:"markdown"`
}

// handleUpload adds or replaces the attachments of a multipart form with
// one or more "file" parts and optional "name" (one file only) and
// "message" fields.
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	wantsJSON := strings.Contains(r.Header.Get("Accept"), "application/json")
	fail := s.htmlError
	if wantsJSON {
		fail = s.apiError
	}
	page, err := uiPageParam(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	reqs, err := s.readUploads(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	var done []uploadedFile
	for _, req := range reqs {
		req.Page, req.MaxBlob, req.Author = page, s.Git.MaxBlob, wiki.CallerFrom(r.Context())
		if _, err := h.Store.PutAttachment(r.Context(), req); err != nil {
			fail(w, r, err)
			return
		}
		done = append(done, uploadedFile{Name: req.Name, URL: fileLink(h.Root, page, req.Name)})
		done[len(done)-1].Markdown = attachmentMarkdown(req.Name, done[len(done)-1].URL)
	}
	if wantsJSON {
		writeJSON(w, http.StatusOK, map[string]any{"files": done})
		return
	}
	seeOther(w, r, h.Root+"-/attachments/"+escapePage(page))
}

// readUploads reads the upload form. File names are taken from the raw
// Content-Disposition (mime/multipart would strip any directory from them),
// so that a name like "../x" is refused rather than silently shortened.
func (s *Server) readUploads(r *http.Request) ([]wiki.AttachmentRequest, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, wiki.Errorf(wiki.EINVALID, "The upload must be a multipart form.")
	}
	var reqs []wiki.AttachmentRequest
	var override, message string
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, formError(err)
		}
		data, err := s.readPart(part, part.FormName() == "file")
		if err != nil {
			return nil, err
		}
		switch part.FormName() {
		case "file":
			_, params, _ := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
			reqs = append(reqs, wiki.AttachmentRequest{Name: params["filename"], Content: data})
		case "name":
			override = strings.TrimSpace(string(data))
		case "message":
			message = strings.TrimSpace(string(data))
		}
	}
	return namedUploads(reqs, override, message)
}

// readPart reads one form part: a file up to --max-blob, a field up to 4 KiB.
func (s *Server) readPart(part io.Reader, isFile bool) ([]byte, error) {
	limit := int64(4 << 10)
	if isFile {
		limit = s.Git.MaxBlob
	}
	data, err := io.ReadAll(io.LimitReader(part, limit+1))
	if err != nil {
		return nil, formError(err)
	}
	if int64(len(data)) > limit {
		return nil, wiki.Errorf(wiki.ETOOLARGE, "The file is larger than %d bytes.", limit)
	}
	return data, nil
}

// namedUploads applies the form's "name" and "message" to the files. A
// browser sends an empty file part when nothing was chosen, so parts
// without a name count as no file; "Save as" applies to a single file only.
func namedUploads(reqs []wiki.AttachmentRequest, override, message string) ([]wiki.AttachmentRequest, error) {
	files := reqs[:0]
	for _, req := range reqs {
		if req.Name != "" || len(req.Content) > 0 {
			req.Message = message
			files = append(files, req)
		}
	}
	switch {
	case len(files) == 0:
		return nil, wiki.Errorf(wiki.EINVALID, "Choose a file to upload.")
	case override != "" && len(files) > 1:
		return nil, wiki.Errorf(wiki.EINVALID, "“Save as” names one file; upload several files under their own names.")
	case override != "":
		files[0].Name = override
	}
	return files, nil
}
