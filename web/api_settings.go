package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// apiGetSettings answers GET /-/api/settings (wiki admins): every setting,
// flat, with the same names PATCH takes.
func (s *Server) apiGetSettings(w http.ResponseWriter, r *http.Request, h *tenant.Handle, _ wiki.Role) {
	st, err := ReadSettings(r.Context(), h.Info, h.Store)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// apiPatchSettings answers PATCH /-/api/settings: any subset of the fields
// GET shows. An unknown field, a value of the wrong type or a value the
// wiki cannot hold is 400 and changes nothing.
func (s *Server) apiPatchSettings(w http.ResponseWriter, r *http.Request, h *tenant.Handle, _ wiki.Role) {
	var p wiki.SettingsPatch
	if err := decodeStrictJSON(r, &p); err != nil {
		s.apiError(w, r, err)
		return
	}
	st, err := ApplySettings(r.Context(), s.Robot, h.Store, actor(r), h.Info.Slug, p)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// decodeStrictJSON is decodeJSON refusing fields v does not have, so a
// misspelt setting is an error rather than silently ignored.
func decodeStrictJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return asDomain(err)
		}
		return wiki.Errorf(wiki.EINVALID, "malformed JSON body: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return wiki.Errorf(wiki.EINVALID, "malformed JSON body: trailing data")
	}
	return nil
}
