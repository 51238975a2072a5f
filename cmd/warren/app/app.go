// Package app wires warren's parts into one running server: robot.db, the
// pool of open wikis, the repacker and the HTTP handler. `warren serve` runs
// a Main, and the end-to-end tests start the same Main, so what is tested
// is what ships. It may import every package of the project; nothing
// imports it but cmd/warren and tests.
package app

import (
	"context"
	"log/slog"
	"net/url"
	"runtime"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/warren-wiki/warren/storage"
	"github.com/warren-wiki/warren/storage/gitproto"
	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/robot"
	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/web"
	"github.com/warren-wiki/warren/wiki"
	"github.com/warren-wiki/warren/wiki/markdown"
	"golang.org/x/sync/semaphore"
)

// Config is everything a server is built from; `warren serve` fills it from
// flags, tests from their defaults.
type Config struct {
	DataDir    string
	BaseDomain string // host mode when set
	Proxy      web.ProxyConfig
	Admins     []string
	Dev        bool
	MaxOpen    int           // open wikis kept
	IdleTTL    time.Duration // close a wiki unused this long
	MaxBody    int64
	Git        gitproto.Limits
	Metrics    bool // serve /-/metrics from a registry of its own
	Logger     *slog.Logger
	Version    string
	LoginURL   string     // where anonymous visitors sign in ("" hides the link)
	PublicURLs []*url.URL // origins warren is served at (--public-url)
	Farm       FarmConfig
	Webhooks   web.WebhookOptions
	// MetricsElsewhere: metrics are served by MetricsHandler on a listener
	// of their own (--metrics-listen), not under /-/metrics.
	MetricsElsewhere bool
	UsageFlush       time.Duration // how often usage counts reach robot.db (1m)
	// LinkStyle is the wikilink style of wikis whose preferences name
	// none ("" = wiki.LinkTextPage, [[Text|Page]]).
	LinkStyle wiki.LinkStyle
	// ViewCacheBytes bounds the cache of rendered page views (0: 64 MiB,
	// <0: none); see web.Server.
	ViewCacheBytes int64
}

// FarmConfig holds what running a farm needs (farm.go): default quotas,
// write rate limits and how long the audit trail is kept.
type FarmConfig struct {
	Quota          wiki.Quota    // default quota of wikis without their own (0: no limit)
	WriteRate      float64       // writes per second per user or token; 0: unlimited
	WriteBurst     int           // writes allowed at once before the rate applies
	AuditRetention time.Duration // audit lines older than this are pruned; 0: kept for ever
}

// Main is one warren server: Open builds it, Server serves it, Close shuts
// it down in order (repacker, wikis, background closes, robot.db).
type Main struct {
	Config   Config
	Robot    *robot.Robot
	Pool     *tenant.Pool
	Repacker *gitrepo.Repacker
	Server   *web.Server
	Stats    *storage.Stats // counters every open wiki shares, for metrics

	closing  sync.WaitGroup     // background closes of evicted wikis
	farm     farmTasks          // the audit pruner (farm.go)
	stopJobs context.CancelFunc // ends the server's background jobs
	jobs     sync.WaitGroup
}

// Open opens robot.db, sweeps leftovers of interrupted wiki creations and
// builds the pool and the HTTP handler. On error nothing stays open.
func (m *Main) Open(ctx context.Context) error {
	c := &m.Config
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	rb, err := robot.OpenRobot(ctx, c.DataDir)
	if err != nil {
		return err
	}
	m.Robot = rb
	rb.DefaultQuota = c.Farm.Quota
	if err := robot.SweepLeftovers(c.DataDir); err != nil {
		c.Logger.Warn("sweep leftovers", "err", err)
	}
	m.Repacker = &gitrepo.Repacker{Logger: c.Logger}
	m.Stats = &storage.Stats{}
	m.Pool = m.newPool()
	m.Server = m.newServer()
	m.startFarm()
	if m.Server.Registry != nil {
		pm := registerFarmMetrics(m.Server.Registry, m.Pool, m.Stats)
		m.Pool.Open = pm.timedOpen(m.Pool.Open)
	}
	return nil
}

// Start runs the server's background work (webhook deliveries, usage
// counts) until Close. Call it once after Open, when the Server's fields
// are final; a Main never started serves requests but delivers nothing.
func (m *Main) Start() {
	jobs, stop := context.WithCancel(context.Background())
	m.stopJobs = stop
	m.jobs.Go(func() { m.Server.RunJobs(jobs, web.JobOptions{UsageFlush: m.Config.UsageFlush}) })
}

// newPool builds the pool that opens each wiki at most once.
func (m *Main) newPool() *tenant.Pool {
	renderer := markdown.New()
	return &tenant.Pool{Max: max(m.Config.MaxOpen, 1), IdleTTL: m.Config.IdleTTL, Logger: m.Config.Logger,
		Open: func(ctx context.Context, slug string) (*storage.Wiki, error) {
			base := tenant.Root(m.Server.BaseDomain, slug)
			w, err := storage.OpenWiki(ctx, robot.WikiDir(m.Config.DataDir, slug), slug, renderer, base,
				storage.WithDefaultLinkStyle(m.Config.LinkStyle))
			if err == nil {
				w.Policy = m.Robot // protected paths and quotas (storage/guard.go)
				w.Stats = m.Stats
			}
			return w, err
		},
		Closer: m.closeInBackground,
	}
}

// newServer builds the HTTP handler from the configuration.
func (m *Main) newServer() *web.Server {
	c := m.Config
	s := &web.Server{
		Robot: m.Robot, Pool: m.Pool, Proxy: c.Proxy, Admins: c.Admins, Dev: c.Dev,
		BaseDomain: c.BaseDomain, DataDir: c.DataDir, MaxBody: c.MaxBody, Git: c.Git,
		// Pack builds are CPU-bound: more at once than cores only adds memory.
		Packers:  semaphore.NewWeighted(int64(max(2, runtime.NumCPU()))),
		Repacker: m.Repacker, Logger: c.Logger, Version: c.Version, LoginURL: c.LoginURL,
		Webhooks: c.Webhooks, MetricsElsewhere: c.MetricsElsewhere,
		PublicURLs: c.PublicURLs, ViewCacheBytes: c.ViewCacheBytes,
	}
	if c.Metrics {
		reg := prometheus.NewRegistry()
		reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
		s.Registry = reg
	}
	return s
}

// closeInBackground is the pool's Closer: a wiki leaving the pool (evicted
// to make room, or idle) is closed on its own goroutine. Closing checkpoints
// wiki.db's WAL into the database and fsyncs it, which took a few
// milliseconds that the request whose open caused the eviction would
// otherwise wait for. No request holds a wiki the pool closes, so its write
// lock is never taken again while it closes; a new handle for the same slug
// may open meanwhile, and SQLite's file locks keep the two apart.
func (m *Main) closeInBackground(w *storage.Wiki) error {
	m.closing.Go(func() {
		if err := w.Close(); err != nil {
			m.Config.Logger.Error("close wiki", "wiki", w.Slug, "err", err)
		}
	})
	return nil
}

// Close stops the repacker, closes every open wiki, waits for background
// closes and closes robot.db. Requests must have finished.
func (m *Main) Close() error {
	var first error
	keep := func(err error) {
		if first == nil {
			first = err
		}
	}
	m.stopFarm()
	if m.stopJobs != nil {
		m.stopJobs() // flushes usage, finishes webhook attempts in flight
		m.jobs.Wait()
	}
	if m.Repacker != nil {
		keep(m.Repacker.Close())
	}
	if m.Pool != nil {
		keep(m.Pool.Close())
	}
	m.closing.Wait()
	if m.Robot != nil {
		keep(m.Robot.Close())
	}
	return first
}
