package web

import (
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/gorilla/mux"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/warren-wiki/warren/storage/gitproto"
	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/robot"
	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
	"golang.org/x/sync/semaphore"
)

// Server serves every wiki and the platform pages. Its fields are its
// dependencies and settings, wired in cmd/warren; it keeps no other state
// that outlives a request except parsed templates and metrics.
type Server struct {
	Robot      *robot.Robot
	Pool       *tenant.Pool
	Proxy      ProxyConfig
	Admins     []string // platform admins: logins or group:NAME
	Dev        bool     // loopback callers without identity act as a platform admin
	BaseDomain string   // host mode when set: wiki acme is acme.BaseDomain
	DataDir    string   // DATA: robot.db and wikis/, for creating and deleting wikis
	MaxBody    int64    // limit for request bodies other than git pushes
	// BodyGrace and MinBodyRate bound the time a body may take to arrive
	// (body.go); zero: 20 s, then 1 KiB/s on average.
	BodyGrace   time.Duration
	MinBodyRate int64
	Git         gitproto.Limits
	Packers     *semaphore.Weighted // bounds concurrent pack builds for fetches; nil: unbounded
	Repacker    *gitrepo.Repacker   // consolidates repositories after pushes; nil: never
	Logger      *slog.Logger
	Registry    *prometheus.Registry // nil: metrics are not collected
	Version     string
	LoginURL    string         // where anonymous callers sign in; {rd} and {url} are the way back (ui_signin.go)
	PublicURLs  []*url.URL     // origins warren is served at (--public-url), for the Origin check (origin.go)
	MCP         MCPOptions     // bounds of MCP sessions (mcp.go)
	Writes      *WriteLimiter  // per-writer token buckets (ratelimit.go); nil: writes are not limited
	Webhooks    WebhookOptions // bounds of webhook deliveries (webhook_send.go)
	// MetricsElsewhere: /-/metrics is served on its own listener
	// (--metrics-listen, MetricsHandler), not here. Otherwise it is served
	// here to platform admins only.
	MetricsElsewhere bool
	Thumbs           *Thumbnailer // attachment thumbnails (ui_thumb.go); nil = defaults
	// ViewCacheBytes bounds the farm-wide cache of rendered page views
	// (view_serve.go): 0 = 64 MiB, <0 = no cache. It needs DataDir.
	ViewCacheBytes int64

	once    sync.Once
	handler http.Handler
	ui      *ui
	metrics *metrics
	changes *changeHub      // page changes, for MCP subscriptions (mcp_hub.go)
	mcp     *mcpService     // the MCP endpoint of every wiki (mcp.go)
	hooks   *webhookService // webhook events and deliveries (webhook_events.go)
	usage   usageCounter    // requests and saves per wiki (usage.go)
	thumbs  *Thumbnailer
	views   *viewCache // rendered page views of every wiki; nil: none
	// stripSet is the identity headers identify deletes (identity.go).
	stripSet map[string]bool
	// whoMarker stands in for the signed-in name in cached views.
	whoMarker string
}

// ServeHTTP builds the handler chain once and serves the request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.once.Do(s.build)
	s.handler.ServeHTTP(w, r)
}

func (s *Server) build() {
	if s.Logger == nil {
		s.Logger = slog.New(slog.DiscardHandler)
	}
	if s.MaxBody <= 0 {
		s.MaxBody = 10 << 20
	}
	s.ui = mustLoadUI()
	s.thumbs = s.Thumbs
	if s.thumbs == nil {
		s.thumbs = &Thumbnailer{}
	}
	s.metrics = newMetrics(s.Registry)
	s.stripSet = s.Proxy.stripped()
	s.initViewCache()
	resolver := &tenant.Resolver{
		Robot:      s.Robot,
		Pool:       s.Pool,
		BaseDomain: s.BaseDomain,
		Wiki:       s.noteWiki(s.wikiRouter()),
		Platform:   s.noteCaller(s.platformRouter()),
		Shortcut:   s.serveCachedView, // view_serve.go
		Fail:       s.failNoWiki,
	}
	s.listenForChanges() // webhooks, usage, metrics (farm_jobs.go)
	var h http.Handler = resolver
	h = s.checkOrigin(h)    // cross-site browser requests (origin.go)
	h = s.throttleWrites(h) // after identify: buckets are per user or token
	h = s.identify(h)
	h = s.guardBody(h) // size limit and minimum rate (body.go)
	h = s.securityHeaders(h)
	h = s.observe(h)
	h = s.recoverPanics(h)
	s.handler = h
}

// wikiRouter routes inside one wiki; paths are relative to the wiki root.
func (s *Server) wikiRouter() http.Handler {
	r := mux.NewRouter()
	r.SkipClean(true)
	r.UseEncodedPath()
	s.registerGitRoutes(r)
	r.Use(noteRoute)
	api := r.PathPrefix("/-/api/").Subrouter()
	s.registerFarmRunAPI(api)
	s.registerAPIRoutes(api)
	s.registerMCPRoutes(r) // {root}/-/static/ is the platform's, served by tenant.Resolver
	s.registerUIRoutes(r)
	r.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, wiki.Errorf(wiki.ENOTFOUND, "Not found."))
	})
	return r
}

// platformRouter routes the root: the wiki list, health, metrics, assets.
func (s *Server) platformRouter() http.Handler {
	r := mux.NewRouter()
	r.Use(noteRoute)
	r.HandleFunc("/-/healthz", s.handleHealth).Methods("GET", "HEAD")
	if s.Registry != nil && !s.MetricsElsewhere {
		r.Handle("/-/metrics", s.platformAdminOnly(s.metricsHandler())).Methods("GET")
	}
	r.PathPrefix("/-/static/").Handler(s.staticHandler())
	s.registerPlatformAPI(r.PathPrefix("/-/api/").Subrouter()) // api_platform.go
	s.registerAuditUI(r)                                       // ui_audit.go
	s.registerPlatformRoutes(r)
	r.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, wiki.Errorf(wiki.ENOTFOUND, "Not found."))
	})
	return r
}

// handleHealth answers 200 while robot.db answers.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	if err := s.Robot.Ping(r.Context()); err != nil {
		plainError(w, wiki.Errorf(wiki.EUNAVAILABLE, "robot.db unreachable"))
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}
