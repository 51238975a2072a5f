package web

import (
	"bufio"
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/gorilla/mux"
	"github.com/warren-wiki/warren/storage/gitproto"
	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// The git smart-HTTP services warren serves (protocol v0/v1, stateless-rpc).
const (
	serviceUpload  = "git-upload-pack"
	serviceReceive = "git-receive-pack"
)

// registerGitRoutes mounts the smart-HTTP remote at <wiki root>/.git, so that
// a wiki clones, fetches and pushes with a plain `git clone URL/.git`.
// Fetching needs viewer, pushing editor; dumb HTTP is not served.
func (s *Server) registerGitRoutes(r *mux.Router) {
	r.HandleFunc("/.git/info/refs", s.handleGitInfoRefs).Methods("GET")
	r.HandleFunc("/.git/"+serviceUpload, s.wikiRoute(wiki.RoleViewer, s.handleUploadPack)).Methods("POST")
	r.HandleFunc("/.git/"+serviceReceive, s.wikiRoute(wiki.RoleEditor, s.handleReceivePack)).Methods("POST")
}

// handleGitInfoRefs answers ref discovery. The role it needs depends on the
// service asked for, so the check happens after reading the query. A
// Git-Protocol: version=2 header is ignored on purpose: the v0 answer makes
// git fall back to v0 for the whole exchange.
func (s *Server) handleGitInfoRefs(w http.ResponseWriter, r *http.Request) {
	service := r.URL.Query().Get("service")
	need := wiki.RoleViewer
	if service == serviceReceive {
		need = wiki.RoleEditor
	}
	s.wikiRoute(need, func(w http.ResponseWriter, r *http.Request, h *tenant.Handle, _ wiki.Role) {
		if service != serviceUpload && service != serviceReceive {
			s.fail(w, r, wiki.Errorf(wiki.EINVALID,
				"Only git's smart HTTP protocol is served; use git 1.6.6 or newer."))
			return
		}
		w.Header().Set("Content-Type", "application/x-"+service+"-advertisement")
		s.serveGit(w, r, func(out io.Writer) error {
			return gitproto.AdvertiseRefs(r.Context(), h.Store.Repository(), service, out)
		})
	})(w, r)
}

// handleUploadPack serves one fetch round. The request is small (wants and
// haves), so its decompressed size is held to the ordinary body limit.
func (s *Server) handleUploadPack(w http.ResponseWriter, r *http.Request, h *tenant.Handle, _ wiki.Role) {
	body, ok := s.gitBody(w, r, serviceUpload, s.MaxBody)
	if !ok {
		return
	}
	defer body.Close()
	w.Header().Set("Content-Type", "application/x-"+serviceUpload+"-result")
	s.serveGit(w, r, func(out io.Writer) error {
		return gitproto.UploadPack(r.Context(), h.Store.Repository(), body, out, gitproto.UploadOptions{Packers: s.Packers})
	})
}

// handleReceivePack serves one push under the wiki's write lock (the same
// lock web saves take). Force-pushes and deleting main need admin.
func (s *Server) handleReceivePack(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	body, ok := s.gitBody(w, r, serviceReceive, s.Git.MaxPush)
	if !ok {
		return
	}
	defer body.Close()
	opt := gitproto.ReceiveOptions{Limits: s.Git, CanForce: role >= wiki.RoleAdmin, OnUpdated: s.afterPush(r.Context(), h), Logger: s.Logger,
		Repacker: s.Repacker, Check: s.pushCheck(h, wiki.CallerFrom(r.Context())), Moved: s.pushMoved(h, actor(r))}
	w.Header().Set("Content-Type", "application/x-"+serviceReceive+"-result")
	s.serveGit(w, r, func(out io.Writer) error {
		return gitproto.ReceivePack(r.Context(), h.Store.Repository(), h.Store, body, out, opt)
	})
}

// gitBody checks the request's content type and returns its decompressed
// body, cut at limit decompressed bytes (a gzip bomb counts at its real
// size). The "0000" probe that git sends before a large chunked push is
// answered here with an empty 200 and ok=false.
func (s *Server) gitBody(w http.ResponseWriter, r *http.Request, service string, limit int64) (io.ReadCloser, bool) {
	if ct := r.Header.Get("Content-Type"); ct != "application/x-"+service+"-request" {
		s.fail(w, r, wiki.Errorf(wiki.EINVALID, "Content-Type must be application/x-%s-request.", service))
		return nil, false
	}
	var body io.Reader = r.Body
	closer := io.Closer(r.Body)
	switch enc := strings.ToLower(r.Header.Get("Content-Encoding")); enc {
	case "", "identity":
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			s.fail(w, r, wiki.Errorf(wiki.EINVALID, "The request body is not valid gzip: %v.", err))
			return nil, false
		}
		body, closer = zr, zr
	default:
		s.fail(w, r, wiki.Errorf(wiki.EINVALID, "Content-Encoding %q is not supported.", enc))
		return nil, false
	}
	if limit > 0 {
		body = gitproto.NewLimitReader(body, limit, "The request body")
	}
	br := bufio.NewReader(body)
	head, err := br.Peek(5)
	if string(head) == "0000" && errors.Is(err, io.EOF) {
		closer.Close()
		w.WriteHeader(http.StatusOK)
		return nil, false
	}
	if err != nil && !errors.Is(err, io.EOF) {
		closer.Close()
		s.fail(w, r, err)
		return nil, false
	}
	return struct {
		io.Reader
		io.Closer
	}{br, closer}, true
}

// serveGit streams a service's answer. Until its first byte the status can
// still say what went wrong (bad pkt-lines are a 400, an oversize body a
// 413); afterwards the protocol itself carries errors, so they are only
// logged.
func (s *Server) serveGit(w http.ResponseWriter, r *http.Request, fn func(out io.Writer) error) {
	w.Header().Set("Cache-Control", "no-cache, max-age=0, must-revalidate")
	w.Header().Set("Pragma", "no-cache")
	w.Header().Set("Expires", "Fri, 01 Jan 1980 00:00:00 GMT")
	out := &gitStream{w: w, rc: http.NewResponseController(w)}
	err := fn(out)
	if err == nil {
		return
	}
	if out.n == 0 {
		w.Header().Del("Content-Type")
		s.fail(w, r, err)
		return
	}
	err = asDomain(err)
	if wiki.ErrorCode(err) == wiki.EINTERNAL {
		s.logError(r, err)
		return
	}
	s.Logger.Debug("git request refused", "req", wiki.RequestIDFrom(r.Context()), "path", r.URL.Path, "err", err)
}

// gitStream flushes every write through to the client: the services write
// whole pkt-lines (up to 64 KiB), so each one leaves at once and a long
// pack never sits in a buffer.
type gitStream struct {
	w  http.ResponseWriter
	rc *http.ResponseController
	n  int64
}

func (g *gitStream) Write(p []byte) (int, error) {
	n, err := g.w.Write(p)
	g.n += int64(n)
	if err != nil {
		return n, err
	}
	if ferr := g.rc.Flush(); ferr != nil && !errors.Is(ferr, http.ErrNotSupported) {
		return n, ferr
	}
	return n, nil
}
