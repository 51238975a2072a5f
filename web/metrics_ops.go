package web

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// opsMetrics are the collectors for what an operator watches besides
// request counts: saves, pushes and clones, page changes, throttled
// requests and webhook deliveries. Labels stay coarse (never a wiki).
type opsMetrics struct {
	ops          *prometheus.CounterVec   // by op: save, push, clone
	opBytes      *prometheus.CounterVec   // bytes received (save, push) or sent (clone)
	opDuration   *prometheus.HistogramVec // by op
	changes      prometheus.Counter
	throttled    *prometheus.CounterVec // by reason
	hookQueued   prometheus.Counter
	hookAttempts *prometheus.CounterVec // by result: delivered, retry, failed
	hookDuration prometheus.Histogram
}

// Throttle reasons for CountThrottled.
const (
	ThrottleRate  = "rate"  // a write rate limit answered 429
	ThrottleQuota = "quota" // a quota refused a write
)

func newOpsMetrics(reg *prometheus.Registry) *opsMetrics {
	buckets := []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}
	o := &opsMetrics{
		ops: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "warren_ops_total",
			Help: "Finished saves (browser and API writes), git pushes and git clones/fetches, by op and status class."}, []string{"op", "code"}),
		opBytes: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "warren_op_bytes_total",
			Help: "Bytes of saves and pushes received and of clones/fetches sent."}, []string{"op"}),
		opDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "warren_op_duration_seconds",
			Help: "Duration of saves, pushes and clones/fetches.", Buckets: buckets}, []string{"op"}),
		changes: prometheus.NewCounter(prometheus.CounterOpts{Name: "warren_page_changes_total",
			Help: "Writes that changed pages, by any route (browser, API, MCP, git push)."}),
		throttled: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "warren_throttled_requests_total",
			Help: "Requests refused by a rate limit (429) or a quota."}, []string{"reason"}),
		hookQueued: prometheus.NewCounter(prometheus.CounterOpts{Name: "warren_webhook_queued_total",
			Help: "Webhook deliveries queued (one per event and hook)."}),
		hookAttempts: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "warren_webhook_attempts_total",
			Help: "Webhook delivery attempts by result: delivered, retry (failed, will retry) or failed (dropped)."}, []string{"result"}),
		hookDuration: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "warren_webhook_attempt_duration_seconds",
			Help: "Duration of webhook delivery attempts.", Buckets: buckets}),
	}
	reg.MustRegister(o.ops, o.opBytes, o.opDuration, o.changes, o.throttled, o.hookQueued, o.hookAttempts, o.hookDuration)
	// Known label values start at zero, so dashboards and alerts see the
	// series before the first event.
	for _, op := range []string{"save", "push", "clone"} {
		o.ops.WithLabelValues(op, "2xx")
		o.opBytes.WithLabelValues(op)
		o.opDuration.WithLabelValues(op)
	}
	for _, r := range []string{ThrottleRate, ThrottleQuota} {
		o.throttled.WithLabelValues(r)
	}
	for _, r := range []string{"delivered", "retry", "failed"} {
		o.hookAttempts.WithLabelValues(r)
	}
	return o
}

// opOf names the operation a request's route performs, "" for others.
func opOf(method, route string) string {
	switch route {
	case "/.git/git-receive-pack":
		return "push"
	case "/.git/git-upload-pack":
		return "clone"
	case "/-/api/pages/{path:.+}":
		if method == http.MethodPut || method == http.MethodDelete {
			return "save"
		}
	case "/-/edit/{page:.+}", "/-/delete/{page:.+}", "/-/rename/{page:.+}", "/-/attachments/{page:.+}", "/-/delete-attachment/{page:.+}":
		if method == http.MethodPost {
			return "save"
		}
	}
	return ""
}

// observeOp counts a finished save, push or clone.
func (m *metrics) observeOp(op string, status int, in, out int64, d time.Duration) {
	if m.reg == nil || op == "" {
		return
	}
	m.ops.ops.WithLabelValues(op, statusClass(status)).Inc()
	bytes := in
	if op == "clone" {
		bytes = out
	}
	m.ops.opBytes.WithLabelValues(op).Add(float64(bytes))
	m.ops.opDuration.WithLabelValues(op).Observe(d.Seconds())
}

func statusClass(status int) string { return string(rune('0'+status/100)) + "xx" }

// pageChanged counts one write that changed pages.
func (m *metrics) pageChanged() {
	if m.reg != nil {
		m.ops.changes.Inc()
	}
}

// CountThrottled counts one request refused by a rate limit or quota
// (reason: ThrottleRate, ThrottleQuota). 429 and 507 answers are counted by
// the access log already; call this only for refusals inside a protocol
// that answers 200 (a push refused by a quota, an MCP tool error).
func (s *Server) CountThrottled(reason string) {
	s.once.Do(s.build)
	if s.metrics.reg != nil {
		s.metrics.ops.throttled.WithLabelValues(reason).Inc()
	}
}

// webhookQueued counts queued deliveries.
func (m *metrics) webhookQueued(n int) {
	if m.reg != nil {
		m.ops.hookQueued.Add(float64(n))
	}
}

// webhookAttempt counts one attempt by the state it left the delivery in.
func (m *metrics) webhookAttempt(state string, d time.Duration) {
	if m.reg == nil {
		return
	}
	result := map[string]string{"delivered": "delivered", "pending": "retry", "failed": "failed"}[state]
	m.ops.hookAttempts.WithLabelValues(result).Inc()
	m.ops.hookDuration.Observe(d.Seconds())
}
