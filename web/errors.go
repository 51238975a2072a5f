package web

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"syscall"

	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// codes is the one place where domain error codes become HTTP statuses.
var codes = map[string]int{
	wiki.ECONFLICT:           http.StatusConflict,
	wiki.EINVALID:            http.StatusBadRequest,
	wiki.ENOTFOUND:           http.StatusNotFound,
	wiki.EUNAUTHORIZED:       http.StatusUnauthorized,
	wiki.EFORBIDDEN:          http.StatusForbidden,
	wiki.EPRECONDITION:       http.StatusPreconditionFailed,
	wiki.EPRECONDITIONNEEDED: http.StatusPreconditionRequired,
	wiki.ETOOLARGE:           http.StatusRequestEntityTooLarge,
	wiki.ETIMEOUT:            http.StatusRequestTimeout,
	wiki.EUNAVAILABLE:        http.StatusServiceUnavailable,
	wiki.EEXISTS:             http.StatusConflict,
	wiki.EMETHOD:             http.StatusMethodNotAllowed,
	wiki.EQUOTA:              http.StatusInsufficientStorage,
	wiki.ETHROTTLED:          http.StatusTooManyRequests,
	wiki.EINTERNAL:           http.StatusInternalServerError,
	wiki.ENOSPACE:            http.StatusInsufficientStorage,
}

// ErrorStatus maps an error to its HTTP status.
func ErrorStatus(err error) int {
	if st, ok := codes[wiki.ErrorCode(asDomain(err))]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// asDomain turns the standard library's body-size error into ETOOLARGE so
// that every handler reading a body gets 413 without special cases, and a
// full disk or quota met anywhere into ENOSPACE (507 with a message that
// says so, not "Internal error.").
func asDomain(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return wiki.Errorf(wiki.ETOOLARGE, "request body is larger than %d bytes", mbe.Limit)
	}
	if wiki.ErrorCode(err) == wiki.EINTERNAL && (errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)) {
		return wiki.Errorf(wiki.ENOSPACE, "%s", wiki.NoSpaceMessage)
	}
	return err
}

// requestError is err as the client must hear it: the body's own failure
// (too slow, too large) first, then the domain code of err.
func requestError(r *http.Request, err error) error {
	return asDomain(bodyVerdict(r, err))
}

// logError records internal errors (and a full disk, which the operator
// must hear of) with the request id; user errors are not logged as errors
// because they are the user's, not ours.
func (s *Server) logError(r *http.Request, err error) {
	if code := wiki.ErrorCode(asDomain(err)); code == wiki.EINTERNAL || code == wiki.ENOSPACE {
		s.Logger.Error("request failed", "req", wiki.RequestIDFrom(r.Context()),
			"method", r.Method, "path", r.URL.Path, "err", err)
	}
}

// apiError writes the JSON error shape of the API.
func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	err = requestError(r, err)
	s.logError(r, err)
	if wiki.ErrorCode(err) == wiki.EUNAUTHORIZED {
		w.Header().Set("WWW-Authenticate", `Basic realm="warren", charset="UTF-8"`)
	}
	writeJSON(w, ErrorStatus(err), map[string]any{
		"error": map[string]string{"code": wiki.ErrorCode(err), "message": wiki.ErrorMessage(err)},
	})
}

// writeJSON writes v with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		slog.Debug("write json", "err", err)
	}
}

// htmlError answers a browser with an error page: the status from the
// error's code and its user-safe message. Internal details go to the log.
func (s *Server) htmlError(w http.ResponseWriter, r *http.Request, err error) {
	err = requestError(r, err)
	s.logError(r, err)
	status := ErrorStatus(err)
	v := s.platformView(r, http.StatusText(status))
	if h := tenant.From(r.Context()); h != nil {
		// Show the wiki's header only to callers who may read it, so an
		// error page never reveals that a private wiki exists.
		role, rerr := s.Robot.Role(r.Context(), h.Info, wiki.CallerFrom(r.Context()))
		if rerr == nil && role >= wiki.RoleViewer {
			v = s.wikiView(r, h, role, http.StatusText(status))
		}
	}
	v.Data = errorData{Status: status, Heading: http.StatusText(status), Message: wiki.ErrorMessage(err)}
	s.render(w, r, status, "error.html", v)
}

// isMachine reports whether the request is for the API or git, whose clients
// want JSON or plain-text errors and a 401 challenge instead of a page.
func isMachine(r *http.Request) bool {
	p := r.URL.Path
	return strings.Contains(p, "/-/api/") || strings.HasPrefix(p, "/-/api/") || strings.Contains(p, "/.git/")
}

// fail answers an error in the form the client expects.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if isMachine(r) {
		if strings.Contains(r.URL.Path, "/.git/") {
			s.gitError(w, r, err)
			return
		}
		s.apiError(w, r, err)
		return
	}
	s.htmlError(w, r, err)
}

// gitError answers a git client in plain text, with the Basic challenge git
// needs to prompt for (or look up) credentials.
func (s *Server) gitError(w http.ResponseWriter, r *http.Request, err error) {
	err = requestError(r, err)
	s.logError(r, err)
	if wiki.ErrorCode(err) == wiki.EUNAUTHORIZED {
		w.Header().Set("WWW-Authenticate", `Basic realm="warren", charset="UTF-8"`)
	}
	http.Error(w, wiki.ErrorMessage(err), ErrorStatus(err))
}

// plainError answers in plain text, for the few places that cannot render a
// page or JSON (a panic, a broken error template, the health probe).
func plainError(w http.ResponseWriter, err error) {
	http.Error(w, wiki.ErrorMessage(err), ErrorStatus(err))
}
