package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus collectors. Labels are coarse (kind
// of request, not wiki or page) so that 10,000 wikis do not make 10,000
// time series.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	ops      *opsMetrics // saves, pushes, clones, webhooks, throttling (metrics_ops.go)
}

func newMetrics(reg *prometheus.Registry) *metrics {
	if reg == nil {
		return &metrics{}
	}
	m := &metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "warren_http_requests_total", Help: "HTTP requests by kind and status class.",
		}, []string{"kind", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "warren_http_request_duration_seconds", Help: "HTTP request latency by kind.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
		}, []string{"kind"}),
	}
	reg.MustRegister(m.requests, m.duration)
	m.ops = newOpsMetrics(reg)
	return m
}

// observe counts one finished request.
func (m *metrics) observe(r *http.Request, status int, d time.Duration) {
	if m.reg == nil {
		return
	}
	k := requestKind(r)
	m.requests.WithLabelValues(k, strconv.Itoa(status/100)+"xx").Inc()
	m.duration.WithLabelValues(k).Observe(d.Seconds())
}

// requestKind classifies a request for metric labels.
func requestKind(r *http.Request) string {
	p := r.URL.Path
	switch {
	case strings.Contains(p, "/.git/"):
		return "git"
	case strings.Contains(p, "/-/api/"):
		return "api"
	case strings.Contains(p, "/-/static/"):
		return "static"
	case r.Method == http.MethodGet || r.Method == http.MethodHead:
		return "read"
	}
	return "write"
}

func (s *Server) metricsHandler() http.Handler {
	return promhttp.HandlerFor(s.Registry, promhttp.HandlerOpts{})
}
