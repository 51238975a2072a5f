package app

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/warren-wiki/warren/storage"
	"github.com/warren-wiki/warren/tenant"
)

// poolMetrics exposes the pool's counters and the time wikis take to open,
// read from the outside: the pool itself only keeps its Stats, and the
// open time is measured around its Open func.
type poolMetrics struct {
	openTime prometheus.Histogram
}

// registerFarmMetrics adds the pool, open-time and render cache collectors
// to reg.
func registerFarmMetrics(reg *prometheus.Registry, pool *tenant.Pool, stats *storage.Stats) *poolMetrics {
	pm := &poolMetrics{openTime: prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "warren_pool_open_seconds", Help: "Time to open a wiki (repository, wiki.db, migration, index catch-up).",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
	})}
	stat := func(f func(tenant.Stats) float64) func() float64 { return func() float64 { return f(pool.Stats()) } }
	reg.MustRegister(pm.openTime,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "warren_pool_open", Help: "Wikis open now."},
			stat(func(s tenant.Stats) float64 { return float64(s.Open) })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "warren_pool_held", Help: "Open wikis held by a request now."},
			stat(func(s tenant.Stats) float64 { return float64(s.Held) })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "warren_pool_hits_total", Help: "Requests that found their wiki open."},
			stat(func(s tenant.Stats) float64 { return float64(s.Hits) })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "warren_pool_misses_total", Help: "Requests that had to open their wiki."},
			stat(func(s tenant.Stats) float64 { return float64(s.Misses) })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "warren_pool_evictions_total", Help: "Wikis closed to stay under --max-open-wikis or because they were idle."},
			stat(func(s tenant.Stats) float64 { return float64(s.Evictions) })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "warren_render_cache_hits_total", Help: "Page views whose HTML came from the render cache."},
			func() float64 { return float64(stats.RenderHits.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "warren_render_cache_misses_total", Help: "Page views that had to render."},
			func() float64 { return float64(stats.RenderMisses.Load()) }),
	)
	return pm
}

// timedOpen wraps a pool's Open func to observe how long opens take.
func (pm *poolMetrics) timedOpen(open func(context.Context, string) (*storage.Wiki, error)) func(context.Context, string) (*storage.Wiki, error) {
	if pm == nil {
		return open
	}
	return func(ctx context.Context, slug string) (*storage.Wiki, error) {
		start := time.Now()
		w, err := open(ctx, slug)
		if err == nil {
			pm.openTime.Observe(time.Since(start).Seconds())
		}
		return w, err
	}
}
