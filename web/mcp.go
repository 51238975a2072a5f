package web

import (
	"context"
	"net/http"
	"time"

	"github.com/gorilla/mux"
	"github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// Decisions behind the MCP server, recorded here beside the code:
//   - Every wiki serves MCP at {wiki root}/-/mcp behind the same chain as
//     its other routes (resolver, identify, authorize): a caller who may not
//     read the wiki gets the same 404 as for a wiki that does not exist.
//   - One *mcp.Server serves all wikis; which wiki and which caller a call
//     is for comes from the HTTP request that carries it (never from the
//     session), so a role change or a revoked token applies at once.
//   - Both eras of the protocol are served: requests that announce
//     2026-07-28 or later go to a stateless handler (no sessions at all);
//     older clients initialize and get a session, which lives in memory
//     only, expires when idle, is bounded per caller, and answers only its
//     own caller on its own wiki. Nothing of it survives a restart: such a
//     client gets 404 and initializes again, as the spec asks.
//   - Tool calls hold their wiki open through the pool for their own
//     length, not the HTTP request's, because a legacy client may close
//     the request while the call still runs.

// MCPOptions bounds the MCP server's legacy (initialize) sessions.
// Zero values take the defaults.
type MCPOptions struct {
	// SessionIdle closes a session no request touched for this long
	// (default 30 minutes).
	SessionIdle time.Duration
	// SessionsPerCaller caps one caller's live sessions on all wikis; a new
	// session past it closes that caller's oldest (default 8).
	SessionsPerCaller int
}

// Defaults for MCPOptions.
const (
	defaultMCPSessionIdle   = 30 * time.Minute
	defaultMCPSessionsLimit = 8
	mcpModernVersion        = "2026-07-28"
)

// mcpService is the MCP side of a Server: the shared protocol server, its
// two HTTP handlers and the legacy session registry.
type mcpService struct {
	srv      *mcp.Server
	modern   http.Handler // stateless: 2026-07-28 and later
	legacy   http.Handler // initialize + Mcp-Session-Id
	sessions *mcpSessions
}

// registerMCPRoutes mounts the MCP endpoint of a wiki and builds the MCP
// service and the change hub it listens to.
func (s *Server) registerMCPRoutes(r *mux.Router) {
	s.changes = &changeHub{}
	s.mcp = s.newMCPService()
	r.HandleFunc("/-/mcp", s.wikiRoute(wiki.RoleViewer, s.handleMCP)).
		Methods(http.MethodGet, http.MethodPost, http.MethodDelete)
}

// newMCPService builds the protocol server with warren's tools and
// resources and subscribes it to page changes.
func (s *Server) newMCPService() *mcpService {
	opt := s.MCP
	if opt.SessionIdle <= 0 {
		opt.SessionIdle = defaultMCPSessionIdle
	}
	if opt.SessionsPerCaller <= 0 {
		opt.SessionsPerCaller = defaultMCPSessionsLimit
	}
	m := &mcpService{}
	m.srv = mcp.NewServer(&mcp.Implementation{Name: "warren", Title: "warren wiki", Version: s.Version},
		&mcp.ServerOptions{
			Instructions:       mcpInstructions,
			Logger:             mcpLogger(s.Logger),
			SubscribeHandler:   s.mcpSubscribe,
			UnsubscribeHandler: func(context.Context, *mcp.UnsubscribeRequest) error { return nil },
			Capabilities:       &mcp.ServerCapabilities{},
		})
	s.addMCPReadTools(m.srv)
	s.addMCPWriteTools(m.srv)
	s.addMCPResources(m.srv)
	m.srv.AddReceivingMiddleware(s.mcpListMiddleware)
	m.sessions = &mcpSessions{srv: m.srv, max: opt.SessionsPerCaller, byID: map[string]mcpSessionInfo{}}
	get := func(*http.Request) *mcp.Server { return m.srv }
	// warren checks Origin (CrossOriginProtection) and identity itself, and
	// sits behind proxies that connect over loopback with the public Host,
	// so the SDK's loopback-Host guard would refuse every proxied request.
	base := mcp.StreamableHTTPOptions{DisableLocalhostProtection: true, MaxRequestBodyBytes: s.mcpBodyLimit(),
		Logger: mcpLogger(s.Logger)}
	modern, legacy := base, base
	modern.Stateless = true
	legacy.SessionTimeout = opt.SessionIdle
	m.modern = withMCPCaller(mcp.NewStreamableHTTPHandler(get, &modern))
	m.legacy = withMCPCaller(mcp.NewStreamableHTTPHandler(get, &legacy))
	s.changes.subscribe("", m.notify)
	return m
}

const mcpInstructions = "This server is one warren wiki: git-backed Markdown pages named by path " +
	"(e.g. \"Team/Notes\"). Read a page before changing it and pass its revision as base_revision; " +
	"a stale base_revision is refused with the current revision and text, never overwritten."

// handleMCP serves one MCP request for the request's wiki: it binds legacy
// sessions to their wiki and caller, and hands the request to the era's
// handler with the caller attached where the SDK's handlers can see it.
func (s *Server) handleMCP(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role) {
	w.Header().Set("X-Accel-Buffering", "no") // SSE must not sit in a proxy's buffer
	call := &mcpCall{slug: h.Info.Slug, root: h.Root, caller: wiki.CallerFrom(r.Context()), role: role}
	call.principal = principalOf(call.caller)
	r = r.WithContext(context.WithValue(r.Context(), mcpCallKey{}, call))
	if r.Header.Get("Mcp-Protocol-Version") >= mcpModernVersion {
		s.mcp.modern.ServeHTTP(w, r)
		return
	}
	if id := r.Header.Get("Mcp-Session-Id"); id != "" {
		if !s.mcp.sessions.owns(id, call) {
			http.Error(w, "session not found", http.StatusNotFound)
			return
		}
		s.mcp.legacy.ServeHTTP(w, r)
		return
	}
	rec := &sessionRecorder{ResponseWriter: w, register: func(id string) { s.mcp.sessions.add(id, call) }}
	s.mcp.legacy.ServeHTTP(rec, r)
}

// mcpCall is who calls, on which wiki, with which role: taken from the
// HTTP request that carries each MCP message.
type mcpCall struct {
	slug, root string
	caller     *wiki.Caller
	role       wiki.Role
	principal  string // binds legacy sessions; see principalOf
}

type mcpCallKey struct{}

// principalOf names a caller for session binding: a token caller is bound
// with its scope and cap, so one login's differently scoped tokens never
// share a session.
func principalOf(c *wiki.Caller) string {
	switch {
	case c.Anonymous():
		return "anonymous"
	case c.ViaToken:
		return "token:" + c.Login + "\x00" + c.TokenWiki + "\x00" + c.TokenCap.String()
	}
	return "user:" + c.Login
}

// withMCPCaller hands the request's mcpCall to the SDK as token info: the
// SDK passes token info from the request that carries each message to the
// handlers (RequestExtra.TokenInfo), and binds sessions to its UserID. The
// SDK's middleware reads it from a Bearer header, which is why one is set
// here on a copy of the request; identify has long checked the real one.
func withMCPCaller(next http.Handler) http.Handler {
	verify := func(_ context.Context, _ string, r *http.Request) (*auth.TokenInfo, error) {
		call, _ := r.Context().Value(mcpCallKey{}).(*mcpCall)
		if call == nil {
			return nil, auth.ErrInvalidToken
		}
		return &auth.TokenInfo{UserID: call.principal, Extra: map[string]any{mcpExtraKey: call}}, nil
	}
	guarded := auth.RequireBearerToken(verify, &auth.RequireBearerTokenOptions{AllowMissingExpiration: true})(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r2 := r.Clone(r.Context())
		r2.Header.Set("Authorization", "Bearer mcp-call")
		guarded.ServeHTTP(w, r2)
	})
}

const mcpExtraKey = "warren.call"

// callOf returns the mcpCall of the HTTP request that carried req; ctx is
// the fallback for requests the SDK builds itself (subscriptions/listen).
func callOf(ctx context.Context, extra *mcp.RequestExtra) *mcpCall {
	ti := auth.TokenInfoFromContext(ctx)
	if extra != nil && extra.TokenInfo != nil {
		ti = extra.TokenInfo
	}
	if ti == nil {
		return nil
	}
	call, _ := ti.Extra[mcpExtraKey].(*mcpCall)
	return call
}

// sessionRecorder registers the session id the SDK assigns to a new
// session before the response carrying it leaves, so the client's next
// request already finds it bound.
type sessionRecorder struct {
	http.ResponseWriter
	register func(id string)
	done     bool
}

func (rec *sessionRecorder) WriteHeader(code int) {
	if !rec.done {
		rec.done = true
		if id := rec.Header().Get("Mcp-Session-Id"); id != "" && code < 300 {
			rec.register(id)
		}
	}
	rec.ResponseWriter.WriteHeader(code)
}

func (rec *sessionRecorder) Write(b []byte) (int, error) {
	if !rec.done {
		rec.WriteHeader(http.StatusOK)
	}
	return rec.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach Flush for SSE.
func (rec *sessionRecorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

// Flush forwards to the real writer so SSE events leave at once.
func (rec *sessionRecorder) Flush() {
	if f, ok := rec.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
