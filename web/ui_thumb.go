package web

import (
	"bytes"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/warren-wiki/warren/wiki"
)

// Thumbnails: /-/files/{page}/{file}?width=N is the image N pixels wide,
// and ?thumbnail=N (An Otter Wiki's form; N defaults to 80) the image
// fitting in an N×N square, both resized on the server (thumb_image.go) and
// never enlarged: an image already that small is served as it is. PNG,
// JPEG, GIF (first frame) and WebP are resized; JPEG stays JPEG, the others
// become PNG. AVIF cannot be decoded in pure Go, and a damaged image cannot
// be decoded at all: both are served unchanged.
// Asking for a thumbnail of a file that is not an image, or a size that is
// 0, negative, over thumbMaxWidth or not a number, is 400; an image with
// more pixels than thumbnails are made from is 413, without decoding it.

// resizable are the image types thumbnails are made of.
var resizable = map[string]bool{".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".webp": true}

// thumbSpec reads ?width= or ?thumbnail= (false when neither is given).
func thumbSpec(q url.Values) (ThumbSpec, bool, error) {
	if q.Has("width") {
		n, err := parseThumbWidth(q.Get("width"))
		return ThumbSpec{Width: n}, err == nil, err
	}
	if q.Has("thumbnail") {
		v := q.Get("thumbnail")
		if v == "" {
			return ThumbSpec{Width: thumbOtterDefault, Box: true}, true, nil
		}
		n, err := parseThumbWidth(v)
		return ThumbSpec{Width: n, Box: true}, err == nil, err
	}
	return ThumbSpec{}, false, nil
}

// serveThumbnail answers a file request that asks for a thumbnail; it
// reports false when the original should be served instead.
func (s *Server) serveThumbnail(w http.ResponseWriter, r *http.Request, name, blob string, data []byte) bool {
	spec, ok, err := thumbSpec(r.URL.Query())
	if err == nil && ok && !isImageName(name) {
		err = wiki.Errorf(wiki.EINVALID, "%s is not an image; thumbnails are made of images only", name)
	}
	if err != nil {
		s.htmlError(w, r, err)
		return true
	}
	if !ok || !resizable[strings.ToLower(path.Ext(name))] {
		return false
	}
	img, err := s.thumbs.Get(r.Context(), blob, data, spec)
	if err != nil {
		s.htmlError(w, r, err)
		return true
	}
	if img.Original {
		return false
	}
	hdr := w.Header()
	setFileHeaders(hdr, name)
	hdr.Set("Content-Type", img.Type)
	hdr.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": name}))
	hdr.Set("ETag", img.ETag)
	setFileCache(hdr, r, blob)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(img.Data))
	return true
}
